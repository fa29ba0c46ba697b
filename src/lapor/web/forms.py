"""Forms of the portal and the console. They only parse and check shape; the rules (body length,
who may do what, reason codes) live in the services, whose `ApplicationError`s `apply_error` turns
into form errors, so the page says the same thing the API would."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Category
from lapor.core.errors import ApplicationError
from lapor.reports.models import Kind
from lapor.reports.workflow import ArchiveReason, DeclineReason, Status

__all__ = [
    "ACTION_FORMS",
    "AccessCodeForm",
    "BulkForm",
    "QueueFilterForm",
    "ReportFilterForm",
    "ReportForm",
    "SignUpForm",
    "TemplateForm",
    "apply_error",
]


def apply_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service error on the field it names, or on the form as a whole."""
    name = error.field if error.field in form.fields else None
    form.add_error(name, error.message)


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # nosec B101  # type narrowing of a declared field
    field.choices = choices


def category_choices() -> list[tuple[str, Any]]:
    from django.utils.translation import get_language

    english = (get_language() or "id").startswith("en")
    return [("", _("— pilih kategori (boleh dikosongkan) —"))] + [
        (c.code, c.name_en if english and c.name_en else c.name) for c in Category.objects.all()
    ]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Apa yang terjadi?"),
        min_length=20,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan apa, di mana, kapan, dan siapa yang terlibat. Minimal 20 karakter."),
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.CharField(label=_("Wilayah"), required=False, max_length=13)
    region_q = forms.CharField(label=_("Cari kabupaten/kota atau provinsi"), required=False, max_length=100)
    address = forms.CharField(label=_("Alamat atau patokan lokasi"), required=False, max_length=300)
    lat = forms.FloatField(label=_("Lintang"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Bujur"), required=False, min_value=-180, max_value=180)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    target_agency = forms.CharField(label=_("Instansi tujuan"), required=False, max_length=64)
    target_agency_q = forms.CharField(label=_("Cari instansi"), required=False, max_length=100)
    anonymous = forms.BooleanField(label=_("Anonim: sembunyikan nama saya"), required=False)
    confidential = forms.BooleanField(label=_("Rahasia: jangan tampilkan laporan ke publik"), required=False)
    reporter_name = forms.CharField(label=_("Nama Anda"), required=False, max_length=150)
    reporter_email = forms.EmailField(label=_("Surel"), required=False)
    reporter_phone = forms.CharField(label=_("Nomor telepon"), required=False, max_length=32)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        set_choices(self, "category", category_choices())
        self.fields["reporter_name"].required = not signed_in

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.signed_in and not (data.get("reporter_email") or data.get("reporter_phone")):
            self.add_error(
                "reporter_email", _("Isi surel atau nomor telepon agar kami dapat menghubungi Anda.")
            )
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lat", _("Lintang dan bujur harus diisi bersama."))
        return data


class ReportFilterForm(forms.Form):
    """The public list's search and filters (GET)."""

    q = forms.CharField(label=_("Cari laporan"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *Kind.choices]
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    agency = forms.CharField(label=_("Instansi"), required=False, max_length=64)
    agency_q = forms.CharField(label=_("Cari instansi"), required=False, max_length=100)
    region = forms.CharField(label=_("Wilayah"), required=False, max_length=13)
    region_q = forms.CharField(label=_("Cari wilayah"), required=False, max_length=100)

    def __init__(self, *args: Any, statuses: list[Status] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = category_choices()
        set_choices(self, "category", [("", _("Semua kategori")), *choices[1:]])
        shown = statuses or list(Status)
        set_choices(self, "status", [("", _("Semua status"))] + [(s.value, s.label) for s in shown])


class AccessCodeForm(forms.Form):
    access_code = forms.CharField(
        label=_("Kode akses"),
        max_length=20,
        help_text=_("Kode 10 karakter yang Anda terima saat mengirim laporan sebagai tamu."),
    )


class SignUpForm(UserCreationForm):
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"))
    phone = forms.CharField(label=_("Nomor telepon (opsional)"), max_length=32, required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "email", "phone")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Surel ini sudah terdaftar. Silakan masuk atau atur ulang sandi."))
        return email


# --- Workflow actions: one small form each ----------------------------------------------------------


def _message(label: Any = None, *, required: bool = False, minimum: int = 0) -> forms.CharField:
    return forms.CharField(
        label=label or _("Pesan untuk pelapor"),
        required=required,
        min_length=minimum or None,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("Catatan internal (tidak terlihat oleh pelapor)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RouteForm(forms.Form):
    agency = forms.CharField(label=_("Instansi tujuan"), max_length=64)
    agency_q = forms.CharField(label=_("Cari instansi"), required=False, max_length=100)
    message = _message()
    note = _note()


class HoldForm(forms.Form):
    message = _message(_("Pertanyaan untuk pelapor"), required=True, minimum=5)
    note = _note()


class ArchiveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Alasan"), choices=[c for c in ArchiveReason.choices if c[0] != ArchiveReason.DUPLICATE]
    )
    message = _message()
    note = _note()


class MergeForm(forms.Form):
    duplicate_of = forms.CharField(
        label=_("Nomor laporan utama"),
        max_length=20,
        required=False,
        help_text=_("Laporan ini diarsipkan sebagai duplikat; pelapor dan pendukungnya ikut mendukung."),
    )
    # A candidate picked from the similar reports the router proposes (when the number is not typed).
    duplicate_of_pick = forms.CharField(required=False, max_length=20)
    note = _note()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["duplicate_of"] = (data.get("duplicate_of") or data.get("duplicate_of_pick") or "").strip()
        if not data["duplicate_of"]:
            self.add_error("duplicate_of", _("Isi nomor laporan utama atau pilih salah satu laporan serupa."))
        return data


class AcceptForm(forms.Form):
    message = _message()


class ForwardForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit kerja"))
    note = _note()

    def __init__(self, *args: Any, units: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", [("", _("— pilih unit —")), *(units or [])])


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=DeclineReason.choices)
    message = _message()
    note = _note()


class RespondForm(forms.Form):
    template = forms.ChoiceField(label=_("Templat jawaban"), required=False)
    message = _message(_("Tindak lanjut untuk pelapor"), required=True, minimum=10)
    note = _note()

    def __init__(self, *args: Any, templates: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "template", [("", _("— tanpa templat —")), *(templates or [])])


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label=_("Tambahan waktu (hari kerja)"), min_value=1)
    message = _message(_("Alasan perpanjangan untuk pelapor"), required=True, minimum=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lapor.reports.services.agency import MAX_EXTENSION_DAYS

        super().__init__(*args, **kwargs)
        self.fields["working_days"].widget.attrs["max"] = MAX_EXTENSION_DAYS
        self.fields["working_days"].validators.append(MaxValueValidator(MAX_EXTENSION_DAYS))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan internal"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProvideInfoForm(forms.Form):
    message = _message(_("Informasi yang diminta"), required=True, minimum=5)


class ReplyForm(forms.Form):
    message = _message(_("Tanggapan Anda atas jawaban instansi"), required=True, minimum=5)


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Penilaian"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    message = _message(_("Mengapa laporan perlu dibuka kembali?"), required=True, minimum=5)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "route": RouteForm,
    "hold": HoldForm,
    "archive": ArchiveForm,
    "merge": MergeForm,
    "accept": AcceptForm,
    "forward": ForwardForm,
    "decline": DeclineForm,
    "respond": RespondForm,
    "extend": ExtendForm,
    "note": NoteForm,
    "provide_info": ProvideInfoForm,
    "reply": ReplyForm,
    "confirm": ConfirmForm,
    "reopen": ReopenForm,
}


class BulkForm(forms.Form):
    """Several reports of one queue at once: route them all to one agency, or archive them all."""

    ACTIONS = (("route", _("Disposisi ke instansi")), ("archive", _("Arsipkan")))

    ids = forms.MultipleChoiceField(label=_("Laporan terpilih"))
    action = forms.ChoiceField(label=_("Tindakan"), choices=ACTIONS)
    agency = forms.CharField(label=_("Instansi tujuan"), required=False, max_length=64)
    agency_q = forms.CharField(label=_("Cari instansi"), required=False, max_length=100)
    reason = forms.ChoiceField(
        label=_("Alasan arsip"),
        required=False,
        choices=[("", "—")] + [c for c in ArchiveReason.choices if c[0] != ArchiveReason.DUPLICATE],
    )

    def __init__(
        self, *args: Any, ids: list[str] | None = None, actions: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ids", [(i, i) for i in ids or []])
        set_choices(self, "action", [c for c in self.ACTIONS if c[0] in actions])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "route" and not data.get("agency"):
            self.add_error("agency", _("Pilih instansi tujuan."))
        if data.get("action") == "archive" and not data.get("reason"):
            self.add_error("reason", _("Pilih alasan arsip."))
        return data


class QueueFilterForm(forms.Form):
    """Search, filter and sort one work queue (GET)."""

    SORTS = (
        ("tenggat", _("Tenggat terdekat")),
        ("terbaru", _("Terbaru")),
        ("terlama", _("Terlama")),
        ("dukungan", _("Dukungan terbanyak")),
    )

    q = forms.CharField(label=_("Cari"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *Kind.choices]
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", [("", _("Semua kategori")), *category_choices()[1:]])


class TemplateForm(forms.Form):
    agency = forms.ChoiceField(label=_("Instansi"))
    title = forms.CharField(label=_("Judul templat"), max_length=120)
    body = forms.CharField(label=_("Isi jawaban"), min_length=10, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, agencies: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "agency", agencies or [])


ATTACHMENT_TYPES = "image/jpeg,image/png,image/webp,application/pdf"


def attachment_limits() -> dict[str, int]:
    return {
        "max_bytes": settings.LAPOR_ATTACHMENT_MAX_BYTES,
        "max_mb": settings.LAPOR_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "max_files": settings.LAPOR_ATTACHMENTS_PER_REPORT,
    }


class PreferenceForm(forms.Form):
    """Which channels a person wants notifications on, and in which language."""

    email = forms.BooleanField(label=_("Surel"), required=False)
    sms = forms.BooleanField(label=_("SMS (jika tersedia)"), required=False)
    in_app = forms.BooleanField(label=_("Di aplikasi (lonceng)"), required=False)
    language = forms.ChoiceField(label=_("Bahasa pesan"), choices=settings.LANGUAGES)


class MemberForm(forms.Form):
    agency = forms.ChoiceField(label=_("Instansi"))
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    role = forms.ChoiceField(
        label=_("Peran"),
        choices=[("unit_officer", _("Petugas Unit Kerja")), ("agency_admin", _("Admin Instansi"))],
    )
    unit = forms.ChoiceField(label=_("Unit kerja (untuk petugas unit)"), required=False)

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[str, str]] | None = None,
        units: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "agency", agencies or [])
        set_choices(self, "unit", [("", "—"), *(units or [])])


class UnitForm(forms.Form):
    agency = forms.ChoiceField(label=_("Instansi"))
    slug = forms.SlugField(label=_("Kode unit"), max_length=64, help_text=_("mis. dinas-pu"))
    name = forms.CharField(label=_("Nama unit"), max_length=200)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "agency", agencies or [])
