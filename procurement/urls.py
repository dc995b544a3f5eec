from django.urls import path

from . import views
from .contributions import views as contribution_views
from .handover import views as handover_views

app_name = "procurement"

urlpatterns = [
    path("staff/procurement/", views.calls, name="calls"),
    path("staff/procurement/calls/<int:call_id>/", views.call_items, name="call_items"),
    path("staff/procurement/calls/<int:call_id>/open/", views.call_open, name="call_open"),
    path("staff/procurement/confirmations/", views.confirmations, name="confirmations"),
    path("staff/procurement/grants/<int:grant_id>/", views.grant_detail, name="grant"),
    path("staff/procurement/grants/<int:grant_id>/open/", views.grant_open, name="grant_open"),
    path("staff/procurement/grants/<int:grant_id>/reduce/", views.grant_reduce, name="reduce"),
    path("staff/procurement/grants/<int:grant_id>/contribution/", contribution_views.verification, name="verification"),
    path("staff/procurement/grants/<int:grant_id>/act/", handover_views.act_issue, name="act_issue"),
    path("staff/procurement/items/<int:item_id>/", views.item_detail, name="item"),
    path("staff/procurement/items/<int:item_id>/order/", views.item_order, name="item_order"),
    path("staff/procurement/items/<int:item_id>/cost/", views.item_cost, name="item_cost"),
    path("staff/procurement/items/<int:item_id>/delivery/", views.item_delivery, name="item_delivery"),
    path("staff/procurement/items/<int:item_id>/status/", views.item_status, name="item_status"),
    path("staff/procurement/items/<int:item_id>/overrun/", views.item_overrun, name="item_overrun"),
    path("staff/procurement/proofs/<int:proof_id>/verify/", contribution_views.proof_verify, name="proof_verify"),
    path("staff/procurement/proofs/<int:proof_id>/reject/", contribution_views.proof_reject, name="proof_reject"),
    path("staff/procurement/acts/<int:act_id>/correct/", handover_views.act_correct, name="act_correct"),
    path("staff/procurement/acts/<int:act_id>/sign/", handover_views.act_sign, name="act_sign"),
    path("delivery/<int:grant_id>/", views.delivery, name="delivery"),
    path("delivery/proofs/<int:proof_id>/evidence/", contribution_views.evidence_upload, name="evidence_upload"),
    path("delivery/evidence/<int:evidence_id>/", contribution_views.evidence_download, name="evidence_download"),
    path("delivery/acts/<int:act_id>/", handover_views.act_download, name="act_download"),
    path("delivery/acts/<int:act_id>/signed/", handover_views.signed_download, name="signed_download"),
]
