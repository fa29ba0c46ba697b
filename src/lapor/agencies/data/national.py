"""National agencies: the LAPOR! node, the ministries of Kabinet Merah Putih (2024-2029), the main
non-ministerial agencies, the oversight bodies and the state enterprises citizens complain about most.

Codes are the common acronyms and never change; names are the current official ones. When an agency is
renamed, split or merged, the new name goes in `name` and every former name in `aliases`, so reports,
imports and training data that use the old name still resolve (the seven agencies of the public LAPOR!
sample dataset are labelled with their 2019-2024 names).
"""

from typing import NamedTuple

__all__ = ["NATIONAL_AGENCIES", "NationalAgency"]

NODE, MIN, AGENCY = "national_node", "ministry", "national_agency"
OVERSIGHT, SOE = "oversight", "state_enterprise"


class NationalAgency(NamedTuple):
    code: str
    name: str
    short_name: str
    kind: str
    aliases: tuple[str, ...] = ()
    units: tuple[tuple[str, str], ...] = ()  # (slug, name)


NATIONAL_AGENCIES: tuple[NationalAgency, ...] = (
    NationalAgency(
        "lapor-nasional",
        "Pengelola Nasional SP4N-LAPOR! (KemenPAN-RB)",
        "LAPOR!",
        NODE,
        ("SP4N-LAPOR!", "Layanan Aspirasi dan Pengaduan Online Rakyat"),
        (("verifikasi", "Tim Verifikasi dan Disposisi Nasional"),),
    ),
    # Coordinating ministries.
    NationalAgency(
        "kemenko-polkam",
        "Kementerian Koordinator Bidang Politik dan Keamanan",
        "Kemenko Polkam",
        MIN,
        ("Kemenko Polhukam", "Kementerian Koordinator Bidang Politik, Hukum, dan Keamanan"),
    ),
    NationalAgency(
        "kemenko-kumham-imipas",
        "Kementerian Koordinator Bidang Hukum, Hak Asasi Manusia, Imigrasi, dan Pemasyarakatan",
        "Kemenko Kumham Imipas",
        MIN,
    ),
    NationalAgency(
        "kemenko-perekonomian", "Kementerian Koordinator Bidang Perekonomian", "Kemenko Perekonomian", MIN
    ),
    NationalAgency("kemenko-pangan", "Kementerian Koordinator Bidang Pangan", "Kemenko Pangan", MIN),
    NationalAgency(
        "kemenko-infrawil",
        "Kementerian Koordinator Bidang Infrastruktur dan Pembangunan Kewilayahan",
        "Kemenko IPK",
        MIN,
        ("Kemenko Marves", "Kementerian Koordinator Bidang Kemaritiman dan Investasi"),
    ),
    NationalAgency(
        "kemenko-pmk", "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "Kemenko PMK", MIN
    ),
    NationalAgency("kemenko-pm", "Kementerian Koordinator Bidang Pemberdayaan Masyarakat", "Kemenko PM", MIN),
    # Ministries.
    NationalAgency("kemensetneg", "Kementerian Sekretariat Negara", "Kemensetneg", MIN, ("Setneg",)),
    NationalAgency(
        "kemendagri",
        "Kementerian Dalam Negeri",
        "Kemendagri",
        MIN,
        ("Depdagri",),
        (
            ("ditjen-dukcapil", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
            ("ditjen-bina-keuda", "Direktorat Jenderal Bina Keuangan Daerah"),
        ),
    ),
    NationalAgency("kemenlu", "Kementerian Luar Negeri", "Kemenlu", MIN, ("Deplu",)),
    NationalAgency("kemhan", "Kementerian Pertahanan", "Kemhan", MIN, ("Kemenhan",)),
    NationalAgency(
        "kemenag",
        "Kementerian Agama",
        "Kemenag",
        MIN,
        ("Depag",),
        (("ditjen-pendis", "Direktorat Jenderal Pendidikan Islam"),),
    ),
    NationalAgency(
        "kemenkum",
        "Kementerian Hukum",
        "Kemenkum",
        MIN,
        ("Kementerian Hukum dan Hak Asasi Manusia", "Kemenkumham"),
    ),
    NationalAgency("kemenham", "Kementerian Hak Asasi Manusia", "KemenHAM", MIN),
    NationalAgency(
        "kemenimipas",
        "Kementerian Imigrasi dan Pemasyarakatan",
        "Kemenimipas",
        MIN,
        ("Direktorat Jenderal Imigrasi", "Direktorat Jenderal Pemasyarakatan"),
        (
            ("ditjen-imigrasi", "Direktorat Jenderal Imigrasi"),
            ("ditjen-pas", "Direktorat Jenderal Pemasyarakatan"),
        ),
    ),
    NationalAgency(
        "kemenkeu",
        "Kementerian Keuangan",
        "Kemenkeu",
        MIN,
        ("Depkeu",),
        (
            ("ditjen-pajak", "Direktorat Jenderal Pajak"),
            ("ditjen-bea-cukai", "Direktorat Jenderal Bea dan Cukai"),
        ),
    ),
    NationalAgency(
        "kemendikdasmen",
        "Kementerian Pendidikan Dasar dan Menengah",
        "Kemendikdasmen",
        MIN,
        (
            "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
            "Kemendikbudristek",
            "Kementerian Pendidikan dan Kebudayaan",
            "Kemendikbud",
        ),
        (("ditjen-gtk", "Direktorat Jenderal Guru, Tenaga Kependidikan, dan Pendidikan Guru"),),
    ),
    NationalAgency(
        "kemendiktisaintek",
        "Kementerian Pendidikan Tinggi, Sains, dan Teknologi",
        "Kemendiktisaintek",
        MIN,
        ("Direktorat Jenderal Pendidikan Tinggi, Riset, dan Teknologi", "Ditjen Diktiristek"),
        (("lldikti", "Lembaga Layanan Pendidikan Tinggi"),),
    ),
    NationalAgency(
        "kemenbud", "Kementerian Kebudayaan", "Kemenbud", MIN, ("Direktorat Jenderal Kebudayaan",)
    ),
    NationalAgency(
        "kemenkes",
        "Kementerian Kesehatan",
        "Kemenkes",
        MIN,
        ("Direktorat Jenderal Tenaga Kesehatan", "Depkes"),
        (
            ("ditjen-nakes", "Direktorat Jenderal Tenaga Kesehatan"),
            ("ditjen-yankes", "Direktorat Jenderal Pelayanan Kesehatan"),
        ),
    ),
    NationalAgency(
        "kemensos",
        "Kementerian Sosial",
        "Kemensos",
        MIN,
        ("Depsos",),
        (
            ("ditjen-linjamsos", "Direktorat Jenderal Perlindungan dan Jaminan Sosial"),
            ("ditjen-rehsos", "Direktorat Jenderal Rehabilitasi Sosial"),
            ("pusdatin", "Pusat Data dan Informasi Kesejahteraan Sosial (DTSEN)"),
        ),
    ),
    NationalAgency(
        "kemnaker", "Kementerian Ketenagakerjaan", "Kemnaker", MIN, ("Kemenaker", "Depnakertrans")
    ),
    NationalAgency(
        "kemenp2mi",
        "Kementerian Pelindungan Pekerja Migran Indonesia",
        "KemenP2MI",
        MIN,
        ("Badan Pelindungan Pekerja Migran Indonesia", "BP2MI", "BNP2TKI"),
    ),
    NationalAgency("kemenperin", "Kementerian Perindustrian", "Kemenperin", MIN),
    NationalAgency("kemendag", "Kementerian Perdagangan", "Kemendag", MIN),
    NationalAgency(
        "kemen-esdm", "Kementerian Energi dan Sumber Daya Mineral", "Kementerian ESDM", MIN, ("KESDM",)
    ),
    NationalAgency(
        "kemenpu",
        "Kementerian Pekerjaan Umum",
        "Kementerian PU",
        MIN,
        ("Kementerian Pekerjaan Umum dan Perumahan Rakyat", "Kementerian PUPR", "KemenPUPR"),
        (
            ("ditjen-bina-marga", "Direktorat Jenderal Bina Marga"),
            ("ditjen-sda", "Direktorat Jenderal Sumber Daya Air"),
        ),
    ),
    NationalAgency("kemen-pkp", "Kementerian Perumahan dan Kawasan Permukiman", "Kementerian PKP", MIN),
    NationalAgency(
        "kemendes",
        "Kementerian Desa dan Pembangunan Daerah Tertinggal",
        "Kemendes PDT",
        MIN,
        ("Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi", "Kemendes PDTT"),
    ),
    NationalAgency("kementrans", "Kementerian Transmigrasi", "Kementrans", MIN),
    NationalAgency(
        "kemenhub",
        "Kementerian Perhubungan",
        "Kemenhub",
        MIN,
        ("Direktorat Jenderal Perhubungan Darat", "Ditjen Hubdat", "Dephub"),
        (
            ("ditjen-hubdat", "Direktorat Jenderal Perhubungan Darat"),
            ("ditjen-hubla", "Direktorat Jenderal Perhubungan Laut"),
            ("ditjen-hubud", "Direktorat Jenderal Perhubungan Udara"),
            ("ditjen-ka", "Direktorat Jenderal Perkeretaapian"),
        ),
    ),
    NationalAgency(
        "komdigi",
        "Kementerian Komunikasi dan Digital",
        "Komdigi",
        MIN,
        ("Kementerian Komunikasi dan Informatika", "Kemenkominfo", "Kominfo"),
        (
            ("ditjen-infrastruktur-digital", "Direktorat Jenderal Infrastruktur Digital"),
            ("ditjen-pengawasan-ruang-digital", "Direktorat Jenderal Pengawasan Ruang Digital"),
        ),
    ),
    NationalAgency("kementan", "Kementerian Pertanian", "Kementan", MIN, ("Deptan",)),
    NationalAgency(
        "kemenhut",
        "Kementerian Kehutanan",
        "Kemenhut",
        MIN,
        ("Kementerian Lingkungan Hidup dan Kehutanan", "KLHK"),
    ),
    NationalAgency("kkp", "Kementerian Kelautan dan Perikanan", "KKP", MIN),
    NationalAgency(
        "atr-bpn",
        "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional",
        "ATR/BPN",
        MIN,
        ("Badan Pertanahan Nasional", "BPN", "Kementerian ATR"),
        (("kantor-pertanahan", "Kantor Pertanahan"),),
    ),
    NationalAgency("bappenas", "Kementerian Perencanaan Pembangunan Nasional/Bappenas", "Bappenas", MIN),
    NationalAgency(
        "kemenpanrb",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "KemenPAN-RB",
        MIN,
        ("MenPAN-RB", "KemenPANRB"),
    ),
    NationalAgency(
        "kemendukbangga",
        "Kementerian Kependudukan dan Pembangunan Keluarga/BKKBN",
        "Kemendukbangga",
        MIN,
        ("Badan Kependudukan dan Keluarga Berencana Nasional", "BKKBN"),
    ),
    NationalAgency(
        "kemenlh",
        "Kementerian Lingkungan Hidup/Badan Pengendalian Lingkungan Hidup",
        "KLH/BPLH",
        MIN,
        ("Kementerian Lingkungan Hidup dan Kehutanan", "KLHK"),
    ),
    NationalAgency(
        "kemen-investasi",
        "Kementerian Investasi dan Hilirisasi/BKPM",
        "Kementerian Investasi/BKPM",
        MIN,
        ("Badan Koordinasi Penanaman Modal", "BKPM", "OSS"),
    ),
    NationalAgency(
        "kemenkop",
        "Kementerian Koperasi",
        "Kemenkop",
        MIN,
        ("Kementerian Koperasi dan Usaha Kecil dan Menengah", "KemenkopUKM"),
    ),
    NationalAgency("kemen-umkm", "Kementerian Usaha Mikro, Kecil, dan Menengah", "Kementerian UMKM", MIN),
    NationalAgency(
        "kemenpar",
        "Kementerian Pariwisata",
        "Kemenpar",
        MIN,
        ("Kementerian Pariwisata dan Ekonomi Kreatif", "Kemenparekraf"),
    ),
    NationalAgency("kemenekraf", "Kementerian Ekonomi Kreatif/Badan Ekonomi Kreatif", "Kemenekraf", MIN),
    NationalAgency("kemenpppa", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "KemenPPPA", MIN),
    NationalAgency("kemenpora", "Kementerian Pemuda dan Olahraga", "Kemenpora", MIN),
    NationalAgency(
        "kemenhaj",
        "Kementerian Haji dan Umrah",
        "Kemenhaj",
        MIN,
        ("Badan Penyelenggara Haji", "BP Haji", "Direktorat Jenderal Penyelenggaraan Haji dan Umrah"),
    ),
    # Non-ministerial and other national agencies.
    NationalAgency(
        "bp-bumn",
        "Badan Pengaturan Badan Usaha Milik Negara",
        "BP BUMN",
        AGENCY,
        ("Kementerian Badan Usaha Milik Negara", "Kementerian BUMN"),
    ),
    NationalAgency(
        "polri",
        "Kepolisian Negara Republik Indonesia",
        "Polri",
        AGENCY,
        ("Kepolisian", "Mabes Polri"),
        (
            ("divpropam", "Divisi Profesi dan Pengamanan"),
            ("korlantas", "Korps Lalu Lintas"),
            ("bareskrim", "Badan Reserse Kriminal"),
        ),
    ),
    NationalAgency(
        "kejaksaan", "Kejaksaan Republik Indonesia", "Kejaksaan RI", AGENCY, ("Kejaksaan Agung", "Kejagung")
    ),
    NationalAgency("bkn", "Badan Kepegawaian Negara", "BKN", AGENCY),
    NationalAgency("bpom", "Badan Pengawas Obat dan Makanan", "BPOM", AGENCY, ("Badan POM",)),
    NationalAgency("bnpb", "Badan Nasional Penanggulangan Bencana", "BNPB", AGENCY),
    NationalAgency("bmkg", "Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG", AGENCY),
    NationalAgency("bps", "Badan Pusat Statistik", "BPS", AGENCY),
    NationalAgency("bnn", "Badan Narkotika Nasional", "BNN", AGENCY),
    NationalAgency("basarnas", "Badan Nasional Pencarian dan Pertolongan", "Basarnas", AGENCY),
    NationalAgency("bssn", "Badan Siber dan Sandi Negara", "BSSN", AGENCY),
    NationalAgency("bgn", "Badan Gizi Nasional", "BGN", AGENCY, ("Makan Bergizi Gratis", "MBG")),
    NationalAgency("bapanas", "Badan Pangan Nasional", "Bapanas", AGENCY, ("NFA",)),
    NationalAgency("bpjph", "Badan Penyelenggara Jaminan Produk Halal", "BPJPH", AGENCY),
    NationalAgency("lkpp", "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", "LKPP", AGENCY),
    NationalAgency("bpkp", "Badan Pengawasan Keuangan dan Pembangunan", "BPKP", AGENCY),
    NationalAgency("ojk", "Otoritas Jasa Keuangan", "OJK", AGENCY),
    NationalAgency("kpk", "Komisi Pemberantasan Korupsi", "KPK", AGENCY),
    NationalAgency("komnas-ham", "Komisi Nasional Hak Asasi Manusia", "Komnas HAM", AGENCY),
    NationalAgency("kpai", "Komisi Perlindungan Anak Indonesia", "KPAI", AGENCY),
    NationalAgency("lpsk", "Lembaga Perlindungan Saksi dan Korban", "LPSK", AGENCY),
    # Oversight: they supervise the handling of reports rather than provide the service.
    NationalAgency("ombudsman", "Ombudsman Republik Indonesia", "Ombudsman RI", OVERSIGHT, ("ORI",)),
    NationalAgency("ksp", "Kantor Staf Presiden", "KSP", OVERSIGHT, ("Kantor Staf Kepresidenan",)),
    # State enterprises and public bodies with their own service channels.
    NationalAgency(
        "pln",
        "PT PLN (Persero)",
        "PLN",
        SOE,
        ("Perusahaan Listrik Negara", "Divisi Pemasaran dan Pelayanan Pelanggan"),
        (("divisi-pemasaran-pelayanan", "Divisi Pemasaran dan Pelayanan Pelanggan"),),
    ),
    NationalAgency("pertamina", "PT Pertamina (Persero)", "Pertamina", SOE, ("Pertamina Patra Niaga",)),
    NationalAgency(
        "bpjs-kesehatan",
        "BPJS Kesehatan",
        "BPJS Kesehatan",
        SOE,
        ("Badan Penyelenggara Jaminan Sosial Kesehatan", "Askes", "JKN-KIS"),
    ),
    NationalAgency(
        "bpjs-ketenagakerjaan",
        "BPJS Ketenagakerjaan",
        "BPJamsostek",
        SOE,
        ("Badan Penyelenggara Jaminan Sosial Ketenagakerjaan", "Jamsostek"),
    ),
    NationalAgency("kai", "PT Kereta Api Indonesia (Persero)", "KAI", SOE, ("PT KAI", "KAI Commuter", "KRL")),
    NationalAgency("telkom", "PT Telkom Indonesia (Persero) Tbk", "Telkom", SOE, ("IndiHome", "Telkomsel")),
    NationalAgency("pos-indonesia", "PT Pos Indonesia (Persero)", "Pos Indonesia", SOE, ("PT Pos",)),
    NationalAgency("taspen", "PT Taspen (Persero)", "Taspen", SOE, ("Tabungan dan Asuransi Pegawai Negeri",)),
    NationalAgency("asabri", "PT Asabri (Persero)", "Asabri", SOE),
    NationalAgency("bulog", "Perum Bulog", "Bulog", SOE, ("Badan Urusan Logistik",)),
    NationalAgency("pelni", "PT Pelayaran Nasional Indonesia (Persero)", "Pelni", SOE),
    NationalAgency("asdp", "PT ASDP Indonesia Ferry (Persero)", "ASDP", SOE),
    NationalAgency("damri", "Perum DAMRI", "DAMRI", SOE),
    NationalAgency("jasa-marga", "PT Jasa Marga (Persero) Tbk", "Jasa Marga", SOE),
    NationalAgency(
        "angkasa-pura",
        "PT Angkasa Pura Indonesia (InJourney Airports)",
        "InJourney Airports",
        SOE,
        ("Angkasa Pura I", "Angkasa Pura II"),
    ),
)
