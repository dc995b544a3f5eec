"""The `grants` namespace: the decision pages and the staff's letter actions, under /staff/decisions/.

The two features share one namespace because their URL names (`grants:batch`, `grants:letter_issue`...)
predate the split into grants/decisions and grants/letters and must not change.
"""

from .decisions.urls import urlpatterns as decision_urlpatterns
from .letters.urls import staff_urlpatterns as letter_urlpatterns

app_name = "grants"

urlpatterns = [*decision_urlpatterns, *letter_urlpatterns]
