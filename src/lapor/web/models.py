"""Configuration the console owns: reusable answer texts per agency."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency
from lapor.core.models import TimeStampedModel

__all__ = ["ResponseTemplate"]


class ResponseTemplate(TimeStampedModel):
    """A reusable follow-up text of one agency ("Terima kasih atas laporan Anda. Tim kami ...").
    Officers pick one in the respond form and edit it before posting; the posted text is what counts."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="response_templates", verbose_name=_("instansi")
    )
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"), max_length=10_000)

    class Meta:
        ordering = ["agency__code", "title", "id"]
        verbose_name = _("templat jawaban")
        verbose_name_plural = _("templat jawaban")
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="response_template_title_unique"),
            models.CheckConstraint(condition=~models.Q(title=""), name="response_template_has_title"),
        ]

    def __str__(self) -> str:
        return self.title
