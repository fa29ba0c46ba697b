"""Demo reports handled by national agencies and state enterprises (PLN, Kemensos, BPJS Kesehatan,
Polri), and the ones the national verifiers archive. Written for the demo; any likeness to a real
report is coincidence. Meter numbers and IDs are made up."""

from lapor.reports.demo.steps import (
    Filer,
    Story,
    accept,
    archive,
    confirm,
    decline,
    escalate,
    forward,
    guest,
    hold,
    reply,
    respond,
    route,
    support,
)

__all__ = ["NATIONAL_STORIES"]

WARGA, DEWI, YOHANES = Filer("warga"), Filer("dewi"), Filer("yohanes")

NATIONAL_STORIES: tuple[Story, ...] = (
    # --- submitted: waiting for a verifier -------------------------------------------------------------
    Story(
        key="pln-padam-kupang",
        filer=guest("Maria Goreti Bria", phone="0813-3901-2217"),
        channel="sms",
        title="Listrik padam tiap malam di Oebobo",
        body=(
            "Listrik di Kel. Oebobo Kupang padam hampir tiap malam sdh seminggu ini, kadang 3-4 jam. "
            "Tdk ada pemberitahuan jadwal pemadaman dr PLN. Kulkas warung sy rusak krn listrik naik turun "
            "waktu nyala lagi. Mohon PLN Kupang cek trafo di Jl. Frans Seda dekat gereja, warga sdh resah."
        ),
        category="electricity_energy",
        region="53.71",
        address="Jl. Frans Seda, Kel. Oebobo, Kota Kupang",
        target_agency="pln",
        days_ago=2,
    ),
    Story(
        key="aspirasi-krl-jogja-solo",
        filer=YOHANES,
        kind="aspiration",
        title="Usul tambah jadwal KRL Yogyakarta–Solo pagi hari",
        body=(
            "Saya pengguna KRL Yogyakarta–Solo setiap hari untuk bekerja. Kereta pukul 06.00 dan 06.40 dari "
            "Stasiun Yogyakarta selalu penuh sesak sampai banyak penumpang tidak bisa masuk, terutama hari "
            "Senin. Jarak ke kereta berikutnya cukup lama sehingga kami sering terlambat masuk kantor. "
            "Kami mengusulkan penambahan satu perjalanan di antara kedua jadwal tersebut, atau penambahan "
            "rangkaian menjadi 8 kereta pada jam sibuk pagi. Terima kasih."
        ),
        category="transport",
        region="34.71",
        target_agency="kai",
    ),
    # --- on hold: the verifier needs more ---------------------------------------------------------------
    Story(
        key="info-pip-smp",
        filer=guest("Sri Wahyuni", email="sri.wahyuni@contoh.id"),
        kind="information_request",
        title="Cara daftar PIP untuk anak SMP",
        body=(
            "Selamat siang. Saya ingin bertanya bagaimana cara mendaftarkan anak saya untuk Program "
            "Indonesia Pintar (PIP). Anak saya kelas 7, kami punya KKS tapi di sekolah katanya harus "
            "diusulkan dulu. Siapa yang mengusulkan dan apa saja syaratnya? Terima kasih."
        ),
        category="education",
        steps=(
            hold(
                "Terima kasih atas pertanyaan Ibu. Agar dapat kami teruskan ke instansi yang tepat, mohon "
                "sebutkan nama sekolah anak Ibu serta kabupaten/kota tempat sekolah tersebut berada.",
                note="Kewenangan usulan PIP ada di sekolah/dinas pendidikan kab/kota; perlu lokasi.",
            ),
        ),
    ),
    # --- routed: waiting for the agency to accept -------------------------------------------------------
    Story(
        key="pln-tagihan-bandung",
        filer=DEWI,
        title="Tagihan listrik naik hampir empat kali lipat",
        body=(
            "Tagihan listrik pascabayar rumah saya bulan ini Rp1.874.000, padahal biasanya di kisaran "
            "Rp450.000–Rp500.000 per bulan. Pemakaian kami tidak berubah, rumah hanya dihuni tiga orang dan "
            "tidak ada alat listrik baru. Saya menduga ada kesalahan pencatatan stand meter oleh petugas "
            "(di struk tertulis 13.950 kWh, sedangkan foto meteran hari ini 12.486 kWh). Mohon dicek ulang "
            "dan tagihan dikoreksi sebelum jatuh tempo tanggal 20."
        ),
        category="electricity_energy",
        region="32.73",
        address="Jl. Sukaluyu No. 14, Kel. Cihaurgeulis, Kec. Cibeunying Kaler, Kota Bandung",
        target_agency="pln",
        days_ago=4,
        steps=(
            route("pln", text="Laporan diteruskan kepada PT PLN (Persero) untuk pemeriksaan stand meter."),
            support("warga"),
        ),
    ),
    Story(
        key="polri-laporan-motor",
        filer=YOHANES,
        title="Laporan kehilangan motor tidak ada perkembangan",
        body=(
            "Pada bulan Maret saya melaporkan kehilangan sepeda motor Honda Vario di parkiran pasar ke "
            "Polsek Medan Baru dan sudah mendapat surat tanda penerimaan laporan. Sampai hari ini tidak "
            "pernah ada kabar perkembangan, SP2HP tidak pernah saya terima, dan setiap kali saya datang ke "
            "Polsek hanya disuruh menunggu. Saya mohon kejelasan apakah laporan saya masih ditangani."
        ),
        category="police_services",
        region="12.71",
        target_agency="polri",
        days_ago=150,
        steps=(
            route("polri", text="Laporan diteruskan kepada Polri untuk ditindaklanjuti oleh satuan wilayah."),
            escalate("followup_overdue"),  # level 1: the agency admin is reminded
            escalate("followup_overdue"),  # level 2: parent agency and national verifier
        ),
    ),
    # --- in progress ------------------------------------------------------------------------------------
    Story(
        key="pln-tiang-miring-medan",
        filer=YOHANES,
        title="Tiang listrik miring hampir roboh",
        body=(
            "Tiang listrik di Jl. Sei Padang, Medan Selayang, miring sekitar 30 derajat setelah hujan angin "
            "minggu lalu. Kabelnya sudah kendur dan turun mendekati atap rumah warga. Di bawahnya ada jalur "
            "anak-anak ke sekolah. Mohon segera ditegakkan atau diganti sebelum roboh."
        ),
        category="electricity_energy",
        region="12.71",
        address="Jl. Sei Padang, Kec. Medan Selayang, Kota Medan",
        target_agency="pln",
        days_ago=9,
        steps=(
            route("pln"),
            accept("Laporan diterima dan diteruskan ke UP3 Medan."),
            respond(
                "Terima kasih atas laporannya. Tim pemeliharaan UP3 Medan telah menjadwalkan penggantian "
                "tiang dalam pekerjaan pemeliharaan jaringan bulan ini. Untuk keadaan darurat silakan "
                "hubungi Contact Center PLN 123."
            ),
            reply(
                "Sudah lewat seminggu sejak jawaban ini tapi belum ada petugas yang datang. Tiangnya makin "
                "miring dan kabel sekarang sudah menyentuh atap rumah tetangga. Tolong segera sebelum ada "
                "korban."
            ),
        ),
    ),
    Story(
        key="kemensos-pkh-sleman",
        filer=WARGA,
        title="Bantuan PKH tidak cair sejak tahap 2",
        body=(
            "Saya penerima PKH sejak 2019 (komponen anak SD dan lansia). Sejak tahap 2 tahun ini bantuan "
            "tidak masuk ke rekening KKS saya, padahal tidak ada perubahan data keluarga. Waktu saya tanya "
            "ke pendamping PKH, katanya status kami 'tidak eligible' tapi tidak dijelaskan alasannya. Ibu "
            "saya berumur 78 tahun dan tinggal bersama kami. Mohon dicek apakah data kami terhapus dari "
            "DTKS."
        ),
        category="social_aid",
        region="34.04",
        address="Kalurahan Sidoagung, Kapanewon Godean, Sleman",
        target_agency="kemensos",
        steps=(
            route("kemensos"),
            accept("Laporan diterima. Kami periksa status kepesertaan keluarga Bapak di data terpadu."),
            forward("kemensos/ditjen-linjamsos", note="Cek riwayat status PKH dan hasil pemadanan data."),
        ),
    ),
    Story(
        key="bpjs-ditolak-rs",
        filer=DEWI,
        title="Kartu BPJS ibu tiba-tiba nonaktif saat kontrol di RS",
        body=(
            "Ibu saya peserta BPJS Kesehatan kelas 3 yang iurannya dibayar pemerintah (PBI). Waktu kontrol "
            "rutin jantung ke rumah sakit kemarin, petugas pendaftaran bilang kartunya nonaktif dan kami "
            "harus bayar sebagai pasien umum Rp850.000. Bulan lalu kartu yang sama masih bisa dipakai dan "
            "kami tidak pernah mendapat pemberitahuan apa pun. Obat ibu tinggal untuk 5 hari."
        ),
        category="health",
        region="32.73",
        days_ago=1,
        steps=(
            route("kemensos", text="Laporan diteruskan kepada Kementerian Sosial terkait status PBI."),
            decline(
                "not_authority",
                "Status kepesertaan PBI JK atas nama ibu pelapor masih aktif pada data Kementerian Sosial. "
                "Kendala pelayanan di rumah sakit merupakan kewenangan BPJS Kesehatan.",
                note="Sudah dicek di SIKS-NG: aktif. Kemungkinan masalah pemadanan NIK di BPJS.",
            ),
            route("bpjs-kesehatan", text="Laporan diteruskan kepada BPJS Kesehatan."),
            accept("Laporan kami terima. Petugas BPJS SATU! di rumah sakit akan menghubungi pelapor."),
        ),
    ),
    Story(
        key="polri-uang-damai",
        filer=WARGA,
        anonymous=True,
        confidential=True,
        title="Diminta uang damai saat razia",
        body=(
            "Saat razia kendaraan di dekat perempatan jalan besar arah terminal pada malam hari, saya "
            "dihentikan oleh dua oknum petugas. Surat-surat saya lengkap, tapi saya dituduh melanggar marka "
            "dan diminta 'uang damai' Rp200.000 supaya tidak ditilang. Tidak ada surat tilang yang "
            "diberikan. Saya minta identitas saya dirahasiakan karena setiap hari lewat jalan itu."
        ),
        category="integrity",
        region="32.73",
        target_agency="polri",
        days_ago=6,
        steps=(
            route("polri", text="Laporan diteruskan kepada Polri untuk ditangani pengawasan internal."),
            accept(),
            forward("polri/divpropam", note="Dugaan pungli saat razia; cocokkan dengan jadwal operasi."),
        ),
    ),
    # --- responded: the reporter's window is open -------------------------------------------------------
    Story(
        key="pln-padam-makassar",
        filer=YOHANES,
        title="Pemadaman bergilir tanpa jadwal di Tamalanrea",
        body=(
            "Di Kecamatan Tamalanrea, Kota Makassar, pemadaman terjadi hampir setiap hari selama dua minggu "
            "terakhir, 2 sampai 4 jam, tanpa jadwal yang jelas. Usaha fotokopi dan laundry di sekitar kampus "
            "sangat dirugikan. Kami minta PLN mengumumkan jadwal pemadaman dan menjelaskan kapan kondisi "
            "normal kembali."
        ),
        category="electricity_energy",
        region="73.71",
        target_agency="pln",
        days_ago=3,
        steps=(
            route("pln"),
            support("dewi"),
            accept(),
            respond(
                "Mohon maaf atas ketidaknyamanannya. Pemadaman disebabkan berkurangnya pasokan daya dari "
                "salah satu pembangkit di sistem kelistrikan Sulawesi bagian selatan yang sedang menjalani "
                "perbaikan. Jadwal pemadaman per penyulang kini diumumkan setiap hari melalui aplikasi PLN "
                "Mobile dan akun media sosial PLN UID Sulselrabar. Perbaikan ditargetkan selesai dalam 10 "
                "hari."
            ),
        ),
    ),
    Story(
        key="info-cek-bansos",
        filer=guest("Fransiska Lumenta", email="fransiska.l@contoh.id"),
        kind="information_request",
        channel="email",
        title="Cara mengecek status penerima bansos",
        body=(
            "Yth. Kementerian Sosial, kami ingin bertanya bagaimana cara mengecek apakah keluarga kami "
            "terdaftar sebagai penerima bantuan sosial, dan ke mana harus mengajukan jika belum terdaftar. "
            "Di kelurahan kami belum pernah ada sosialisasi. Terima kasih atas informasinya."
        ),
        category="social_aid",
        region="71.71",
        target_agency="kemensos",
        steps=(
            route("kemensos"),
            respond(
                "Terima kasih atas pertanyaan Ibu. Status penerima dapat dicek mandiri melalui laman "
                "cekbansos.kemensos.go.id atau aplikasi Cek Bansos dengan memasukkan wilayah dan nama sesuai "
                "KTP. Jika belum terdaftar, Ibu dapat mengajukan usulan melalui kelurahan atau Dinas Sosial "
                "Kota Manado dengan membawa KTP dan KK; usulan akan diverifikasi sebelum masuk data terpadu."
            ),
        ),
    ),
    # --- closed ----------------------------------------------------------------------------------------
    Story(
        key="pln-meter-error-sleman",
        filer=WARGA,
        title="kWh meter prabayar error, token tidak bisa masuk",
        body=(
            "kWh meter prabayar di rumah kami error sejak Senin, layarnya menunjukkan 'PERIKSA' dan token "
            "Rp100.000 yang baru dibeli tidak bisa dimasukkan. Sudah lapor lewat PLN Mobile tapi statusnya "
            "masih 'dalam antrean'. Sekarang listrik mati total padahal anak saya sedang ujian."
        ),
        category="electricity_energy",
        region="34.04",
        address="Dusun Ngentak, Sendangadi, Mlati, Sleman",
        target_agency="pln",
        days_ago=5,
        steps=(
            route("pln"),
            accept("Laporan diterima dan diteruskan ke ULP Sleman."),
            respond(
                "Petugas ULP Sleman telah mengganti kWh meter pelanggan pada hari Kamis pukul 14.30 WIB. "
                "Token Rp100.000 yang belum masuk telah dikembalikan dalam bentuk kWh pada meter baru. "
                "Mohon maaf atas ketidaknyamanannya."
            ),
            confirm(4, "Sudah diganti dan listrik nyala lagi. Cuma agak lama nunggunya, 3 hari."),
        ),
    ),
    Story(
        key="kemensos-dtks-bantul",
        filer=guest("Suparmi", phone="0878-3911-0456"),
        channel="walk_in",
        title="Usulan masuk DTKS tidak ada kabar",
        body=(
            "Saya janda dengan dua anak, bekerja sebagai buruh cuci. Sudah dua kali diusulkan masuk DTKS "
            "lewat musyawarah desa tahun lalu tapi sampai sekarang nama saya tidak muncul di cek bansos. "
            "Mohon dibantu dicek usulan saya sampai di mana. (Laporan ini dibantu petugas desa.)"
        ),
        category="social_aid",
        region="34.02",
        target_agency="kemensos",
        steps=(
            route("kemensos"),
            accept(),
            respond(
                "Usulan Ibu tercatat dari desa pada periode lalu, namun belum diverifikasi oleh Dinas Sosial "
                "Kabupaten Bantul sehingga belum ditetapkan. Kami telah meminta dinas menuntaskan "
                "verifikasi; nama Ibu kini masuk daftar usulan periode berjalan. Status dapat dicek kembali "
                "bulan depan."
            ),
            confirm(4, "Terima kasih, sudah ada kejelasan."),
        ),
    ),
    Story(
        key="bpjs-pindah-faskes",
        filer=YOHANES,
        title="Tidak bisa pindah faskes lewat Mobile JKN",
        body=(
            "Sudah tiga kali saya mengajukan pindah faskes tingkat pertama lewat aplikasi Mobile JKN karena "
            "pindah domisili ke Jakarta Selatan, tapi selalu gagal dengan pesan 'terjadi kesalahan'. Kartu "
            "keluarga dan KTP sudah alamat baru. Sekarang kalau sakit harus ke klinik lama di Bekasi."
        ),
        category="health",
        region="31.74",
        target_agency="bpjs-kesehatan",
        steps=(
            route("bpjs-kesehatan"),
            accept(),
            respond(
                "Pengajuan gagal karena data domisili peserta di sistem kami belum diperbarui sesuai NIK. "
                "Data sudah kami mutakhirkan dan perpindahan faskes ke klinik pilihan Bapak berlaku mulai "
                "tanggal 1 bulan depan. Bila kendala berulang, Bapak dapat menghubungi Care Center 165."
            ),
            confirm(3, "Akhirnya bisa, tapi harus telepon dua kali. Aplikasinya masih perlu diperbaiki."),
        ),
    ),
    Story(
        key="polri-skck-makassar",
        filer=guest("Andi Muh. Fadli", email="andi.fadli@contoh.id"),
        title="Antrean SKCK sangat lama",
        body=(
            "Saya membuat SKCK di Polrestabes Makassar untuk melamar kerja. Sudah daftar online, tapi di "
            "lokasi tetap harus antre dari jam 7 pagi dan baru dilayani jam 2 siang. Petugas hanya dua orang "
            "dan tidak ada informasi berapa lama menunggu. Mohon layanannya ditambah."
        ),
        category="police_services",
        region="73.71",
        target_agency="polri",
        steps=(
            route("polri"),
            accept(),
            respond(
                "Terima kasih atas masukannya. Mulai pekan ini loket SKCK Polrestabes Makassar ditambah "
                "menjadi empat dan pemohon yang sudah mendaftar online dilayani di loket tersendiri. Nomor "
                "antrean kini juga ditampilkan di layar ruang tunggu."
            ),
            confirm(2, "Jawabannya bagus, tapi waktu saya datang lagi loketnya masih cuma dua."),
        ),
    ),
    # --- archived by the verifier ------------------------------------------------------------------------
    Story(
        key="arsip-utang-tetangga",
        filer=guest("Rudi Hartono", phone="0821-4455-7890"),
        title="Tetangga tidak mau bayar utang",
        body=(
            "Tetangga saya pinjam uang Rp5.000.000 sejak tahun lalu, janji dikembalikan tiga bulan. Sudah "
            "ditagih berkali-kali tapi selalu menghindar. Tolong pemerintah bantu tagih karena uang itu "
            "untuk biaya sekolah anak saya."
        ),
        category="other",
        region="35.78",
        steps=(
            archive(
                "not_public_service",
                "Laporan Bapak merupakan sengketa utang-piutang antarpribadi dan bukan pelayanan publik. "
                "Bapak dapat meminta mediasi di kantor kelurahan, atau mengajukan gugatan sederhana ke "
                "Pengadilan Negeri setempat.",
            ),
        ),
    ),
    Story(
        key="arsip-spam-pinjol",
        filer=guest("Dana Cepat", phone="0899-0000-1234"),
        channel="sms",
        body=(
            "PINJAMAN DANA CEPAT CAIR 1 JAM!!! Tanpa jaminan tanpa BI checking, bunga rendah 0,5%. "
            "Hubungi WA admin sekarang juga, kuota terbatas!!!"
        ),
        steps=(archive("spam_abusive", note="Iklan pinjaman daring; nomor pengirim sudah berulang kali."),),
    ),
    Story(
        key="arsip-putusan-hakim",
        filer=WARGA,
        title="Keberatan atas putusan perkara warisan",
        body=(
            "Saya keberatan dengan putusan majelis hakim Pengadilan Negeri dalam perkara pembagian warisan "
            "keluarga kami. Menurut saya hakim tidak mempertimbangkan bukti surat yang kami ajukan. Mohon "
            "putusan tersebut ditinjau kembali."
        ),
        category="land",
        steps=(
            archive(
                "out_of_scope",
                "Putusan pengadilan tidak dapat ditinjau melalui LAPOR!. Atas putusan tersebut Bapak dapat "
                "menempuh upaya hukum banding sesuai tenggat yang berlaku. Dugaan pelanggaran kode etik "
                "hakim dapat dilaporkan kepada Komisi Yudisial.",
            ),
        ),
    ),
    Story(
        key="arsip-terlalu-umum",
        filer=guest("Hendrik", email="hendrik77@contoh.id"),
        channel="social",
        body=(
            "pelayanan pemerintah skrg makin parah, semua lambat, semua harus pake orang dalam. "
            "tolong diperbaiki semuanya!!"
        ),
        steps=(
            hold(
                "Terima kasih atas laporannya. Mohon jelaskan layanan apa yang Bapak maksud, di instansi "
                "mana, di kota mana, dan kapan kejadiannya, agar laporan dapat kami teruskan."
            ),
            archive(
                "too_general",
                "Laporan belum dapat ditindaklanjuti karena tidak menyebutkan layanan, instansi maupun "
                "lokasi. Bapak dapat mengirim laporan baru dengan keterangan tersebut.",
            ),
        ),
    ),
)
