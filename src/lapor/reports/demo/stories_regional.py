"""Demo reports handled by regional governments and their units (Sleman, Bandung, Surabaya, Jakarta
Selatan, Bantul and others). Written for the demo; places are real, people and events are made up."""

from lapor.reports.demo.steps import (
    Filer,
    Story,
    accept,
    auto_close,
    confirm,
    decline,
    forward,
    guest,
    hold,
    merge,
    provide_info,
    reopen,
    respond,
    route,
    support,
)

__all__ = ["REGIONAL_STORIES"]

WARGA, DEWI, YOHANES = Filer("warga"), Filer("dewi"), Filer("yohanes")
SLEMAN, PETUGAS_PU = "pemda-34.04", "petugas-pemda-34.04-dinas-pu"

REGIONAL_STORIES: tuple[Story, ...] = (
    # --- submitted ---------------------------------------------------------------------------------------
    Story(
        key="pdam-mati-makassar",
        filer=guest("Nurhayati", phone="0852-5510-8832"),
        title="Air PDAM mati 4 hari",
        body=(
            "Air PDAM di Perumnas Antang Blok 10 sudah 4 hari tidak mengalir sama sekali. Tidak ada "
            "pemberitahuan, tidak ada mobil tangki. Kami terpaksa beli air galon untuk mandi dan masak. "
            "Tagihan tetap jalan tiap bulan. Mohon segera diperbaiki."
        ),
        category="water",
        region="73.71",
        address="Perumnas Antang Blok 10, Kec. Manggala, Kota Makassar",
        days_ago=4,
    ),
    Story(
        key="info-spmb-jayapura",
        filer=guest("Yakomina Wenda", email="yakomina.w@contoh.id"),
        kind="information_request",
        title="Jadwal dan syarat SPMB SMA di Kota Jayapura",
        body=(
            "Selamat pagi. Anak saya lulus SMP tahun ini. Kami ingin tahu jadwal pendaftaran murid baru SMA "
            "negeri di Kota Jayapura, syarat dokumennya apa saja, dan apakah ada jalur afirmasi untuk anak "
            "asli Papua. Di sekolah belum ada pengumuman. Terima kasih."
        ),
        category="education",
        region="91.71",
    ),
    Story(
        key="aspirasi-bus-denpasar",
        filer=guest("I Made Suarjana", email="made.suarjana@contoh.id"),
        kind="aspiration",
        title="Halte Trans Metro Dewata perlu peneduh",
        body=(
            "Usul untuk Pemkot Denpasar: banyak halte bus Trans Metro Dewata di Jl. Gatot Subroto dan Jl. "
            "Cokroaminoto hanya berupa tiang rambu tanpa atap dan tempat duduk. Penumpang lansia dan anak "
            "sekolah menunggu di bawah terik matahari atau hujan. Mohon dibangun halte dengan peneduh."
        ),
        category="transport",
        region="51.71",
    ),
    Story(
        key="kabel-menjuntai-sleman",
        filer=WARGA,
        title="Kabel menjuntai di atas jalan kampung",
        body=(
            "Di Jl. Kaliurang km 9 masuk gang Padukuhan Gondangan, ada gulungan kabel hitam menjuntai sampai "
            "setinggi kepala orang dewasa, sudah tiga minggu. Mobil bak yang lewat sering tersangkut. "
            "Kabelnya tidak jelas milik siapa, mohon diteruskan ke yang berwenang."
        ),
        category="communication",
        region="34.04",
        address="Padukuhan Gondangan, Sardonoharjo, Ngaglik, Sleman",
        days_ago=21,
        steps=(
            route("pln"),
            decline(
                "not_authority",
                "Setelah dicek petugas ULP Kalasan, kabel tersebut bukan jaringan PLN melainkan kabel "
                "telekomunikasi.",
            ),
            route(SLEMAN, text="Laporan diteruskan kepada Pemkab Sleman untuk penertiban kabel di jalan."),
            decline(
                "not_authority",
                "Kabel tersebut milik operator telekomunikasi swasta; penertiban menjadi kewajiban pemilik "
                "jaringan.",
                note="Dinas Kominfo bisa bantu identifikasi operator bila diminta resmi.",
            ),
        ),
    ),
    # --- on hold ------------------------------------------------------------------------------------------
    Story(
        key="jalan-rusak-tanpa-lokasi",
        filer=guest("Slamet Riyadi", phone="0813-2900-7741"),
        title="Jalan rusak parah",
        body=(
            "Jalan di kampung kami rusak parah, berlubang di mana-mana, kalau hujan seperti kolam. "
            "Sudah lama tidak diperbaiki. Mohon segera diaspal."
        ),
        category="roads_infrastructure",
        steps=(
            hold(
                "Terima kasih, Bapak. Mohon lengkapi nama jalan atau dusun, desa/kelurahan, kecamatan dan "
                "kabupaten/kota lokasi jalan tersebut, agar dapat kami teruskan ke pemerintah daerah yang "
                "tepat."
            ),
        ),
    ),
    # --- routed -------------------------------------------------------------------------------------------
    Story(
        key="sampah-tps-surabaya",
        filer=guest("Bagus Wicaksono", email="bagus.w@contoh.id"),
        title="Sampah TPS Wonokromo tidak diangkut",
        body=(
            "Sampah di TPS dekat pasar Wonokromo sudah lima hari tidak diangkut. Tumpukannya meluber sampai "
            "ke badan jalan, baunya menyengat dan banyak lalat. Warga yang lewat harus turun ke jalur motor."
        ),
        category="environment",
        region="35.78",
        address="Jl. Stasiun Wonokromo, Kec. Wonokromo, Kota Surabaya",
        days_ago=5,
        steps=(route("pemda-35.78", unit="pemda-35.78/dlh"),),
    ),
    Story(
        key="parkir-liar-bandung",
        filer=guest("Warga Dago", email="wargadago@contoh.id"),
        anonymous=True,
        confidential=True,
        title="Juru parkir liar memaksa bayar",
        body=(
            "Setiap malam di sepanjang jalan dekat kawasan kuliner Dago ada juru parkir liar yang memaksa "
            "minta Rp10.000 per motor, padahal ada rambu dilarang parkir. Kalau menolak, kami dibentak dan "
            "motor digoyang-goyang. Saya tidak berani menyebut nama karena tinggal di dekat situ."
        ),
        category="public_order",
        region="32.73",
        days_ago=2,
        steps=(route("pemda-32.73", unit="pemda-32.73/satpol-pp"),),
    ),
    Story(
        key="banjir-cipete",
        filer=YOHANES,
        title="Jalan tergenang setiap hujan deras",
        body=(
            "Setiap hujan deras lebih dari satu jam, Jl. Cipete Raya dekat pertigaan Jl. Kemang Utara "
            "tergenang setinggi lutut orang dewasa. Saluran di tepi jalan tertutup beton trotoar dan penuh "
            "lumpur. Motor banyak yang mogok dan air masuk ke rumah warga yang lantainya rendah."
        ),
        category="disaster",
        region="31.74",
        address="Jl. Cipete Raya, Kel. Cipete Utara, Kec. Kebayoran Baru, Jakarta Selatan",
        days_ago=3,
        steps=(
            route("pemda-31.74", text="Laporan diteruskan kepada Pemkot Administrasi Jakarta Selatan."),
            support("warga"),
            support("dewi"),
        ),
    ),
    Story(
        key="jembatan-imogiri",
        filer=guest("Tukiyem", phone="0877-3810-2231"),
        title="Jembatan bambu putus terbawa banjir",
        body=(
            "Jembatan bambu penghubung dua dusun putus terbawa banjir kali. Anak-anak sekolah sekarang harus "
            "memutar 5 km lewat jalan desa. Mohon dibangunkan jembatan yang lebih kuat."
        ),
        category="disaster",
        days_ago=7,
        steps=(
            hold("Mohon sebutkan nama dusun, kalurahan dan kapanewon lokasi jembatan tersebut."),
            provide_info(
                "Jembatan di Kali Oya antara Padukuhan Kedungjati dan Padukuhan Karangtalun, Kalurahan "
                "Selopamioro, Kapanewon Imogiri, Bantul."
            ),
            route("pemda-34.02", unit="pemda-34.02/bpbd"),
        ),
    ),
    # --- in progress --------------------------------------------------------------------------------------
    Story(
        key="lubang-cebongan",
        filer=WARGA,
        title="Lubang besar di Jalan Cebongan–Seyegan",
        body=(
            "Di Jalan Cebongan–Seyegan sekitar 200 meter sebelum Pasar Kasuran ada lubang selebar kira-kira "
            "satu meter dan sedalam 15 cm. Kalau malam tidak kelihatan karena lampu jalan di situ mati. "
            "Minggu ini sudah dua pengendara motor jatuh. Warga sementara menandai dengan ban bekas."
        ),
        category="roads_infrastructure",
        region="34.04",
        address="Jl. Cebongan–Seyegan, dekat Pasar Kasuran, Margomulyo, Seyegan, Sleman",
        days_ago=10,
        tags=("jalan-berlubang",),
        steps=(
            route(SLEMAN, text="Laporan diteruskan kepada Pemerintah Kabupaten Sleman."),
            support("yohanes"),
            accept("Laporan diterima. Kami teruskan ke Dinas PUPR untuk survei lokasi."),
            forward("pemda-34.04/dinas-pu", note="Ruas kabupaten; masukkan ke jadwal tambal sulam."),
        ),
    ),
    Story(
        key="lubang-cebongan-duplikat",
        filer=DEWI,
        channel="social",
        body=(
            "lubang di jalan cebongan seyegan dkt pasar kasuran bahaya bgt, semalam ada ibu2 jatuh dr motor. "
            "tolong cepet ditambal sblm ada korban lg"
        ),
        category="roads_infrastructure",
        region="34.04",
        steps=(merge("lubang-cebongan", note="Lokasi dan masalah sama dengan laporan yang sedang diproses"),),
    ),
    Story(
        key="lampu-jalan-ngaglik",
        filer=WARGA,
        title="Lampu penerangan jalan mati sepanjang 500 meter",
        body=(
            "Lampu penerangan jalan umum di Jl. Palagan Tentara Pelajar dari Ringroad Utara ke arah utara "
            "sekitar 500 meter mati semua sejak dua minggu. Jalannya gelap sekali dan sudah ada kejadian "
            "jambret."
        ),
        category="roads_infrastructure",
        region="34.04",
        days_ago=14,
        steps=(
            route(SLEMAN),
            accept(),
            forward("pemda-34.04/dinas-pu"),
            respond(
                "Tim PJU Dinas PUPR telah mengganti 14 lampu dan memperbaiki panel kontrol yang rusak pada "
                "ruas tersebut. Semua lampu menyala kembali sejak Rabu malam.",
                by=PETUGAS_PU,
            ),
            confirm(5, "Sudah terang lagi, terima kasih cepat ditangani."),
            reopen("Sejak tiga malam ini separuh lampu yang baru diganti mati lagi, mulai dari depan SPBU."),
        ),
    ),
    Story(
        key="puskesmas-loket",
        filer=DEWI,
        anonymous=True,
        title="Bayar di loket puskesmas supaya cepat dilayani",
        body=(
            "Di salah satu puskesmas di Surabaya Timur, petugas loket meminta Rp50.000 kepada pasien yang "
            "ingin dapat nomor antrean awal. Yang tidak bayar disuruh datang besok. Saya pasien BPJS dan "
            "masih harus berobat rutin di sana, jadi mohon nama saya tidak disebutkan."
        ),
        category="integrity",
        region="35.78",
        days_ago=8,
        steps=(
            route(
                "pemda-35.78",
                unit="pemda-35.78/inspektorat",
                text="Laporan diteruskan kepada Inspektorat Kota Surabaya.",
            ),
            accept("Laporan diterima dan ditangani Inspektorat bersama Dinas Kesehatan."),
        ),
    ),
    Story(
        key="ktp-el-bandung",
        filer=DEWI,
        title="KTP-el belum jadi enam bulan, hanya diberi suket",
        body=(
            "Saya sudah rekam KTP-el di Disdukcapil Kota Bandung enam bulan lalu, tapi sampai sekarang hanya "
            "diberi surat keterangan yang harus diperpanjang. Setiap datang katanya blangko habis. Padahal "
            "saya butuh KTP asli untuk membuka rekening gaji di kantor baru."
        ),
        category="civil_registry",
        region="32.73",
        steps=(
            route("pemda-32.73"),
            accept(),
            forward("pemda-32.73/disdukcapil", note="Cek status cetak; prioritaskan karena untuk pekerjaan."),
        ),
    ),
    # --- responded ----------------------------------------------------------------------------------------
    Story(
        key="drainase-condongcatur",
        filer=guest("Ahmad Zainuri", email="ahmad.zainuri@contoh.id"),
        title="Saluran air tersumbat, jalan jadi sungai",
        body=(
            "Saluran drainase di Jl. Anggajaya II Condongcatur tersumbat sampah dan sedimen. Tiap hujan, air "
            "meluap ke jalan dan masuk ke halaman rumah. Sudah kerja bakti warga tapi sumbatannya di gorong-"
            "gorong bawah jalan, tidak bisa dijangkau."
        ),
        category="roads_infrastructure",
        region="34.04",
        address="Jl. Anggajaya II, Condongcatur, Depok, Sleman",
        steps=(
            route(SLEMAN, unit="pemda-34.04/dinas-pu"),
            accept(),
            respond(
                "Pada hari Selasa tim UPT Pemeliharaan Jalan dan Jembatan telah membersihkan gorong-gorong "
                "di bawah Jl. Anggajaya II menggunakan mesin penyedot. Saluran kini mengalir normal. Kami "
                "mohon warga tidak membuang sampah ke saluran.",
                by=PETUGAS_PU,
            ),
        ),
    ),
    Story(
        key="uang-gedung-smp",
        filer=WARGA,
        confidential=True,
        title="Sumbangan pembangunan wajib di SMP negeri",
        body=(
            "Anak saya diterima di salah satu SMP negeri di Sleman. Saat daftar ulang, orang tua diminta "
            "'sumbangan pembangunan' Rp2.500.000 dan seragam Rp1.200.000 yang harus dibayar lunas sebelum "
            "MPLS. Katanya sumbangan tapi nominalnya ditentukan dan ada batas waktu. Bukankah sekolah negeri "
            "gratis?"
        ),
        category="education",
        region="34.04",
        steps=(
            route(SLEMAN),
            accept(),
            forward("pemda-34.04/dinas-pendidikan"),
            respond(
                "Dinas Pendidikan telah memanggil kepala sekolah yang bersangkutan. Sumbangan tidak boleh "
                "ditentukan nominal maupun batas waktunya; sekolah telah membatalkan ketentuan tersebut, dan "
                "pembelian seragam tidak wajib melalui sekolah. Orang tua yang sudah membayar dapat meminta "
                "pengembalian melalui komite sekolah.",
            ),
        ),
    ),
    Story(
        key="trotoar-fatmawati",
        filer=guest("Nadia Putri", email="nadia.putri@contoh.id"),
        title="Trotoar dipakai parkir motor dan PKL",
        body=(
            "Trotoar di Jl. RS Fatmawati depan deretan ruko dekat stasiun MRT dipakai parkir motor dan lapak "
            "PKL sehingga pejalan kaki, termasuk pengguna kursi roda, terpaksa turun ke jalan raya."
        ),
        category="public_order",
        region="31.74",
        steps=(
            route("pemda-31.74"),
            accept(),
            respond(
                "Satpol PP Kecamatan Cilandak telah melakukan penertiban pada Jumat lalu dan akan melakukan "
                "patroli rutin. Pemilik ruko telah diberi teguran tertulis agar tidak menggunakan trotoar "
                "untuk parkir pengunjung."
            ),
        ),
    ),
    # --- closed -------------------------------------------------------------------------------------------
    Story(
        key="jalan-ambles-ngaglik",
        filer=WARGA,
        title="Jalan ambles depan SD",
        body=(
            "Aspal di Jl. Kayen Raya depan SD Negeri ambles sepanjang 3 meter di sisi timur, pinggirannya "
            "retak menganga. Tiap pagi jadi titik macet karena kendaraan antar-jemput menghindar ke tengah."
        ),
        category="roads_infrastructure",
        region="34.04",
        days_ago=30,
        steps=(
            route(SLEMAN),
            accept(),
            forward("pemda-34.04/dinas-pu"),
            respond(
                "Ruas yang ambles telah dibongkar, dipadatkan ulang dan diaspal kembali sepanjang 6 meter "
                "pada Sabtu-Minggu agar tidak mengganggu jam sekolah. Terima kasih atas laporannya.",
                by=PETUGAS_PU,
            ),
            confirm(5, "Mantap, rapi dan dikerjakan pas libur sekolah."),
        ),
    ),
    Story(
        key="kk-surabaya",
        filer=guest("Siti Aminah", phone="0896-1122-3344"),
        title="Pengajuan perubahan KK lewat online belum diproses",
        body=(
            "Saya mengajukan perubahan KK (tambah anggota keluarga karena kelahiran) lewat aplikasi layanan "
            "kependudukan Surabaya tiga minggu lalu. Statusnya masih 'menunggu verifikasi' dan akta lahir "
            "anak saya juga belum terbit."
        ),
        category="civil_registry",
        region="35.78",
        steps=(
            route("pemda-35.78"),
            accept(),
            forward("pemda-35.78/disdukcapil"),
            respond(
                "Berkas Ibu tertahan karena unggahan surat keterangan lahir tidak terbaca. Petugas telah "
                "memverifikasi ulang dengan data fasilitas kesehatan; KK baru dan akta kelahiran sudah "
                "terbit dan dapat diunduh melalui aplikasi dalam bentuk PDF bertanda tangan elektronik."
            ),
            auto_close(),
        ),
    ),
    Story(
        key="aspirasi-taman-bandung",
        filer=guest("Rizky Maulana", email="rizky.maulana@contoh.id"),
        kind="aspiration",
        title="Usul penerangan dan toilet di taman kota",
        body=(
            "Taman di dekat kantor kecamatan kami ramai dipakai warga pagi dan sore, tapi malam hari gelap "
            "dan tidak ada toilet umum. Kami mengusulkan penambahan lampu taman dan satu toilet umum yang "
            "dikelola bersama karang taruna."
        ),
        category="environment",
        region="32.73",
        steps=(
            route("pemda-32.73"),
            accept(),
            respond(
                "Terima kasih atas usulannya. Penambahan 12 titik lampu taman telah masuk kegiatan "
                "pemeliharaan taman tahun ini dan dikerjakan bulan depan; toilet umum kami usulkan dalam "
                "rencana anggaran tahun depan dengan pengelolaan bersama karang taruna setempat."
            ),
            confirm(5, "Terima kasih, ditunggu realisasinya."),
        ),
    ),
)
