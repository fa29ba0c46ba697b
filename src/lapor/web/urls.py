from django.contrib.auth import views as auth_views
from django.urls import path

from lapor.web.views import accounts, common, config, console, intake, notifications, public, reporter, stats
from lapor.web.views import personal_data as personal_data_views

app_name = "web"
urlpatterns = [
    # Citizens
    path("", public.home, name="home"),
    path("laporan/", public.report_list, name="reports"),
    path("laporan/lacak/", public.track, name="track"),
    path("laporan/serupa/", public.similar, name="similar"),
    path("laporan/<str:tracking_id>/", reporter.report_detail, name="report"),
    path("laporan/<str:tracking_id>/terkirim/", public.confirmation, name="confirmation"),
    path("laporan/<str:tracking_id>/dukung/", reporter.support, name="support"),
    path("laporan/<str:tracking_id>/aksi/<str:action>/", reporter.report_action, name="report_action"),
    path("laporan/<str:tracking_id>/lampiran/<int:pk>/", reporter.attachment, name="attachment"),
    path("cari/wilayah/", common.region_picker, name="region_picker"),
    path("cari/instansi/", common.agency_picker, name="agency_picker"),
    # Public statistics
    path("statistik/", stats.overview, name="stats"),
    path("statistik/unduh/<slug:dataset>.<str:fmt>", stats.download, name="stats_download"),
    path("instansi/<str:code>/", stats.agency_page, name="agency_stats"),
    path("instansi/<str:code>/laporan-bulanan/", stats.monthly_report, name="agency_monthly"),
    # Accounts
    path("akun/masuk/", accounts.LoginView.as_view(), name="login"),
    path("akun/masuk/kode/", accounts.login_code, name="login_code"),
    path("akun/keamanan/", accounts.two_factor, name="two_factor"),
    path("akun/keluar/", auth_views.LogoutView.as_view(next_page="web:home"), name="logout"),
    path("akun/daftar/", accounts.signup, name="signup"),
    path("akun/laporan/", accounts.my_reports, name="my_reports"),
    path("akun/data/", personal_data_views.data_page, name="personal_data"),
    path("akun/data/unduh/", personal_data_views.data_download, name="personal_data_download"),
    path("akun/data/hapus/", personal_data_views.data_delete, name="personal_data_delete"),
    path("akun/notifikasi/", notifications.inbox, name="notifications"),
    path("akun/notifikasi/baca/", notifications.mark_all_read, name="notifications_read"),
    path("akun/notifikasi/pengaturan/", notifications.settings_page, name="notification_settings"),
    path("akun/sandi/lupa/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("akun/sandi/lupa/terkirim/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "akun/sandi/atur/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/sandi/atur/selesai/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Officers
    path("staf/", console.dashboard, name="console"),
    path("staf/antrean/<slug:key>/", console.queue, name="queue"),
    path("staf/antrean/<slug:key>/massal/", console.queue_bulk, name="queue_bulk"),
    path("staf/laporan/<str:tracking_id>/", console.workspace, name="workspace"),
    path(
        "staf/laporan/<str:tracking_id>/aksi/<str:action>/", console.workspace_action, name="workspace_action"
    ),
    path("staf/laporan/<str:tracking_id>/identitas/", console.reveal_identity, name="reveal_identity"),
    path("staf/laporan/<str:tracking_id>/saran/", console.suggestions, name="suggestions"),
    path("staf/laporan/<str:tracking_id>/serupa/", console.merge_candidates, name="merge_candidates"),
    path("staf/peringatan/", stats.alerts, name="alerts"),
    path("staf/laporan-langsung/", intake.walk_in, name="intake"),
    path("staf/webhook/", intake.webhook_deliveries, name="webhook_deliveries"),
    path("staf/webhook/<uuid:pk>/kirim-ulang/", intake.webhook_replay_view, name="webhook_replay"),
    path("staf/templat/", config.templates, name="templates"),
    path("staf/anggota/", config.members, name="members"),
    path("staf/templat/<int:pk>/", config.template_edit, name="template_edit"),
    path("staf/templat/<int:pk>/hapus/", config.template_delete, name="template_delete"),
]
