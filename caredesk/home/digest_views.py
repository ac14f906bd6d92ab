"""The weekly digest's opt-out link: it works without logging in (the signed token names the
workspace and the member), asks for a confirmation (a mail scanner that follows links must
not unsubscribe anyone), then records the opt-out."""

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from caredesk.core.i18n import supported
from caredesk.insights import digest


@require_http_methods(["GET", "POST"])
def digest_opt_out(request, token):
    found = digest.read_opt_out_token(token)
    if found is None:
        return render(request, "insights/digest/opt_out.html", {"invalid": True}, status=400)
    workspace, member = found
    # The member's own language; without one, the one this request was answered in (their
    # session's or browser's) rather than the workspace's.
    with translation.override(supported(member.language) or translation.get_language()):
        done = request.method == "POST"
        if done:
            digest.set_opt_out(workspace, member, True)
        context = {
            "digest_workspace": workspace,
            "member": member,
            "done": done,
            "already": not done and digest.opted_out(workspace, member),
            "LANGUAGE_CODE": translation.get_language(),
        }
        return render(request, "insights/digest/opt_out.html", context)
