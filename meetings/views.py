"""Web pages for meetings: thin views over selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from boards.selectors import people_visible_to
from contracts.selectors import contracts_visible_to
from trustgov.accounts.models import User
from trustgov.core.exports import content_disposition
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.scoping import get_visible_or_404
from trustgov.organisations.selectors import delivery_bodies_visible_to

from . import reminders, services
from .calendar import render_feed
from .forms import (
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AttendanceForm,
    CycleForm,
    DeclarationForm,
    DocumentForm,
    FeedForm,
    ForwardPlanChangeForm,
    ForwardPlanForm,
    MeetingEditForm,
    MeetingForm,
    MeetingStatusForm,
    MinutesApproveForm,
    MinutesForm,
    PaperPublicationForm,
    PreferenceForm,
    ResolutionForm,
)
from .models import Action, AgendaItem, BodyKind, Document, ForwardPlanEntry, Meeting, Minutes
from .register import register_for, where_taken
from .selectors import (
    actions_visible_to,
    agenda_items_visible_to,
    can_see_exempt,
    carried_forward_actions,
    declarations_visible_to,
    documents_visible_to,
    forward_plan_visible_to,
    meetings_visible_to,
    minutes_visible_to,
    resolutions_visible_to,
)
from .workflows import MEETING_WORKFLOW, PAPER_WORKFLOW


def _form_status(form) -> int:
    """Pages that carry a form beside other content answer 400 with errors, as form pages do."""
    return 400 if form is not None and form.is_bound and form.errors else 200


@login_required
@permission_required("meetings.view_meeting", raise_exception=True)
@require_GET
def meeting_list(request):
    today = timezone.localdate()
    meetings = meetings_visible_to(request.user)
    body = request.GET.get("body", "")
    if body in BodyKind.values:
        meetings = meetings.filter(body_kind=body)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": meetings.filter(date__gte=today)[:60],
            "past": meetings.filter(date__lt=today).order_by("-date")[:30],
            "bodies": BodyKind.choices,
            "body": body,
        },
    )


@login_required
@permission_required("meetings.add_meeting", raise_exception=True)
def meeting_create(request):
    if not request.user.council_id:
        raise Http404
    form = MeetingForm(
        request.POST or None,
        delivery_bodies=delivery_bodies_visible_to(request.user).filter(council=request.user.council),
    )
    if request.method == "POST" and form.is_valid():
        meeting = run_service(
            form, lambda: services.meeting_create(user=request.user, council=request.user.council, **form.cleaned_data)
        )
        if meeting:
            messages.success(request, "Meeting added.")
            return redirect(meeting)
    return render_form_page(
        request, form, title="Add a meeting", caption="Meetings", cancel_url=reverse("meetings:meeting-list")
    )


@login_required
@permission_required("meetings.add_meeting", raise_exception=True)
def cycle_generate(request):
    contracts = contracts_visible_to(request.user)
    form = CycleForm(request.POST or None, contracts=contracts)
    if request.method == "POST" and form.is_valid():
        created = run_service(form, lambda: services.cycle_generate(user=request.user, **form.cleaned_data))
        if created is not None:
            messages.success(
                request, f"{len(created)} meetings added to the cycle. Existing meetings were left as they were."
            )
            return redirect("meetings:meeting-list")
    return render_form_page(
        request,
        form,
        title="Generate a year's meetings",
        caption="Meetings",
        intro="Meetings are created from the contract's obligations on working days. Running it again adds only "
        "meetings that are missing; it never changes or removes a meeting already in the cycle.",
        cancel_url=reverse("meetings:meeting-list"),
    )


@login_required
@permission_required("meetings.view_meeting", raise_exception=True)
@require_GET
def meeting_detail(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    user = request.user
    items = agenda_items_visible_to(user).filter(meeting=meeting)
    documents = documents_visible_to(user).filter(agenda_item__meeting=meeting)
    minutes = minutes_visible_to(user).filter(meeting=meeting).first()
    declarations = list(declarations_visible_to(user).filter(meeting=meeting).select_related("agenda_item", "person"))
    approving = meetings_visible_to(user).filter(
        council_id=meeting.council_id, body_kind=meeting.body_kind, date__gt=meeting.date
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": [(item, [d for d in documents if d.agenda_item_id == item.pk]) for item in items],
            "attendances": meeting.attendances.all(),
            "declarations": declarations,
            "register_people": set(
                people_visible_to(user)
                .filter(pk__in=[d.person_id for d in declarations if d.person_id])
                .values_list("pk", flat=True)
            ),
            "minutes": minutes,
            "can_approve_minutes": bool(minutes and minutes.status == Minutes.Status.DRAFT and approving.exists()),
            "minutes_to_approve": minutes_visible_to(user).filter(approved_at=meeting),
            "resolutions": resolutions_visible_to(user).filter(meeting=meeting),
            "actions": actions_visible_to(user).filter(meeting=meeting),
            "carried_forward": carried_forward_actions(meeting, user),
            "status_targets": MEETING_WORKFLOW.allowed_targets(meeting.status, user=user),
            "papers_late": meeting.papers_late(),
            "can_see_exempt": can_see_exempt(user),
            "is_officer": user.has_perm("meetings.change_meeting"),
            "can_publish_papers": user.has_perm("meetings.change_document"),
            "papers_seen_on": papers_seen_on(meeting, user),
        },
    )


def papers_seen_on(meeting: Meeting, user):
    """The day the meeting's papers were published, for a link to the performance dashboard as it stood then (what
    scrutiny saw), when they have been published and the user may see the dashboard; otherwise None."""
    published = meeting.papers_published_on
    if published is None or published > timezone.localdate() or not user.has_perm("performance.view_kpi"):
        return None
    return published


@login_required
@permission_required("meetings.change_meeting", raise_exception=True)
def meeting_edit(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    initial = {f: getattr(meeting, f) for f in ("body_kind", "title", "date", "start_time", "place", "quorum")}
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.meeting_update(meeting=meeting, user=request.user, **form.cleaned_data)):
            messages.success(request, "Meeting updated.")
            return redirect(meeting)
    return render_form_page(
        request, form, title=f"Change {meeting.title}", caption="Meetings", cancel_url=meeting.get_absolute_url()
    )


@login_required
@permission_required("meetings.change_meeting", raise_exception=True)
def meeting_status(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    targets = MEETING_WORKFLOW.allowed_targets(meeting.status, user=request.user)
    form = MeetingStatusForm(request.POST or None)
    form.fields["status"].choices = [(t, MEETING_WORKFLOW.state_labels[t]) for t in targets]
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        if run_service(form, lambda: services.meeting_set_status(meeting=meeting, user=request.user, status=status)):
            meeting.refresh_from_db()
            if status == Meeting.Status.PAPERS_PUBLISHED and meeting.papers_late():
                messages.warning(
                    request,
                    f"The papers are late: they were due by {meeting.papers_deadline:%-d %B %Y}, "
                    "five clear working days before the meeting.",
                )
            else:
                messages.success(request, f"Meeting is now {meeting.get_status_display().lower()}.")
            drafts = services.papers_in_draft(meeting) if status == Meeting.Status.PAPERS_PUBLISHED else 0
            if drafts:
                messages.warning(
                    request,
                    f"{drafts} paper{'s are' if drafts != 1 else ' is'} still in draft and not published: approve "
                    "and publish each when it is ready.",
                )
            return redirect(meeting)
    return render_form_page(
        request,
        form,
        title=f"Change the status of {meeting.title}",
        caption="Meetings",
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
@permission_required("meetings.add_agendaitem", raise_exception=True)
def item_create(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.agenda_item_create(meeting=meeting, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Agenda item added.")
            return redirect(meeting)
    return render_form_page(
        request, form, title="Add an agenda item", caption=meeting.title, cancel_url=meeting.get_absolute_url()
    )


@login_required
@permission_required("meetings.change_agendaitem", raise_exception=True)
def item_edit(request, pk: int):
    item = get_visible_or_404(AgendaItem, request.user, pk=pk)
    fields = ("title", "minute_number", "report_author", "report", "is_exempt", "exempt_category")
    form = AgendaItemForm(request.POST or None, initial={f: getattr(item, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.agenda_item_update(item=item, user=request.user, **form.cleaned_data)):
            messages.success(request, "Agenda item updated.")
            return redirect(item.meeting)
    return render_form_page(
        request,
        form,
        title=f"Change {item.title}",
        caption=item.meeting.title,
        cancel_url=item.meeting.get_absolute_url(),
    )


@login_required
@permission_required("meetings.add_document", raise_exception=True)
def document_upload(request, pk: int):
    item = get_visible_or_404(AgendaItem, request.user, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.document_upload(agenda_item=item, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Paper uploaded.")
            return redirect(item.meeting)
    return render_form_page(
        request,
        form,
        title=f"Upload a paper for {item.title}",
        caption=item.meeting.title,
        cancel_url=item.meeting.get_absolute_url(),
    )


@login_required
@permission_required("meetings.change_document", raise_exception=True)
def document_publication(request, pk: int):
    document = get_visible_or_404(Document, request.user, pk=pk)
    meeting = document.agenda_item.meeting
    transitions = PAPER_WORKFLOW.transitions
    choices = [
        (t, transitions[(document.publication, t)].label)
        for t in PAPER_WORKFLOW.allowed_targets(document.publication, user=request.user)
    ]
    form = PaperPublicationForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.document_publication(document=document, user=request.user, **form.cleaned_data),
        ):
            document.refresh_from_db()
            messages.success(request, f"{document.title}: {document.get_publication_display().lower()}.")
            return redirect(meeting)
    state = document.get_publication_display().lower()
    return render_form_page(
        request,
        form,
        title=f"Publication of {document.title}",
        caption=meeting.title,
        intro=f"The paper is {state}. Scrutiny members and the trust see a paper only once it is published"
        + (" (and never this one, which is not for publication)." if document.exempt else ".")
        + ("" if choices else " Nothing more can be done: a correction is a new paper."),
        cancel_url=meeting.get_absolute_url(),
    )


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@permission_required("meetings.view_document", raise_exception=True)
def document_download(request, pk: int):
    # Exempt or unpublished papers are outside the user's scope: a 404, never a 403.
    document = get_visible_or_404(Document, request.user, pk=pk)
    response = paper_file(document)
    response["Cache-Control"] = "private, no-store"
    return response


def paper_file(document: Document) -> FileResponse:
    """The paper's file as an attachment under its own name; a 404 if the file has gone from storage. The caller
    has already decided the reader may have it (here, or on the public pages)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[document.file_type])
    response["Content-Disposition"] = content_disposition(document.file.name.rsplit("/", 1)[-1])
    return response


@login_required
@permission_required("meetings.add_attendance", raise_exception=True)
def attendance_create(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.attendance_record(meeting=meeting, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Attendance recorded.")
            return redirect(meeting)
    return render_form_page(
        request,
        form,
        title="Record attendance or apologies",
        caption=meeting.title,
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
@permission_required("meetings.add_declaration", raise_exception=True)
def declaration_create(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    form = DeclarationForm(
        request.POST or None,
        items=agenda_items_visible_to(request.user).filter(meeting=meeting),
        people=people_visible_to(request.user).filter(council_id=meeting.council_id),
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.declaration_record(meeting=meeting, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Declaration recorded.")
            return redirect(meeting)
    return render_form_page(
        request,
        form,
        title="Record a declaration of interest",
        caption=meeting.title,
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
@permission_required("meetings.change_minutes", raise_exception=True)
def minutes_edit(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else ""})
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.minutes_save_draft(meeting=meeting, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Draft minutes saved.")
            return redirect(meeting)
    return render_form_page(
        request, form, title="Draft minutes", caption=meeting.title, cancel_url=meeting.get_absolute_url()
    )


@login_required
@permission_required("meetings.change_minutes", raise_exception=True)
def minutes_approve(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    later = meetings_visible_to(request.user).filter(
        council_id=meeting.council_id,
        body_kind=meeting.body_kind,
        date__gt=meeting.date,
        status=Meeting.Status.HELD,  # only a meeting that has taken place approves minutes
    )
    form = MinutesApproveForm(request.POST or None, meetings=later)
    if request.method == "POST" and form.is_valid():
        approving = form.cleaned_data["approving_meeting"]
        if run_service(
            form, lambda: services.minutes_approve(minutes=minutes, approving_meeting=approving, user=request.user)
        ):
            messages.success(request, f"Minutes approved at {approving}.")
            return redirect(meeting)
    return render_form_page(
        request, form, title="Approve the minutes", caption=meeting.title, cancel_url=meeting.get_absolute_url()
    )


@login_required
@permission_required("meetings.add_resolution", raise_exception=True)
def resolution_create(request, pk: int):
    item = get_visible_or_404(AgendaItem, request.user, pk=pk)
    form = ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resolution = run_service(
            form, lambda: services.resolution_create(agenda_item=item, user=request.user, **form.cleaned_data)
        )
        if resolution:
            note = ""
            if resolution.future_report_month:
                placed = resolution.requested_items.select_related("meeting").first()
                note = (
                    f" A further report was added to {placed.meeting}."
                    if placed
                    else " No meeting of this body is scheduled for that month yet: it will be added when one is."
                )
            messages.success(request, f"Resolution {resolution.label} recorded.{note}")
            return redirect(item.meeting)
    return render_form_page(
        request,
        form,
        title=f"Record a resolution on {item.title}",
        caption=item.meeting.title,
        cancel_url=item.meeting.get_absolute_url(),
    )


def _action_users(meeting: Meeting):
    return User.objects.filter(is_active=True).filter(council_id=meeting.council_id) | User.objects.filter(
        is_active=True, delivery_body__council_id=meeting.council_id
    )


@login_required
@permission_required("meetings.add_action", raise_exception=True)
def action_create(request, pk: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    form = ActionForm(request.POST or None, users=_action_users(meeting).order_by("username"))
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.action_create(meeting=meeting, user=request.user, **form.cleaned_data)):
            messages.success(request, "Action recorded.")
            return redirect(meeting)
    return render_form_page(
        request, form, title="Record an action", caption=meeting.title, cancel_url=meeting.get_absolute_url()
    )


@login_required
@permission_required("meetings.view_action", raise_exception=True)
@require_GET
def action_list(request):
    actions = actions_visible_to(request.user)
    show = request.GET.get("show", "open")
    if show == "mine":
        actions = actions.filter(owner_user=request.user)
    elif show != "all":
        actions = actions.exclude(status=Action.Status.DONE)
    return render(
        request,
        "meetings/action_list.html",
        {"actions": actions.order_by("due_date", "pk"), "show": show, "today": timezone.localdate()},
    )


@login_required
@permission_required("meetings.view_action", raise_exception=True)
def action_detail(request, pk: int):
    action = get_visible_or_404(Action, request.user, pk=pk)
    can_update = services.can_update_action(action, request.user) and request.user.has_perm("meetings.change_action")
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status}) if can_update else None
    if request.method == "POST":
        if not can_update:  # an action this user sees but may not update: the wrong role, a 403 (ADR 0008)
            raise PermissionDenied("Only the action's owner or a council officer can update it.")
        if form.is_valid():
            if run_service(form, lambda: services.action_update(action=action, user=request.user, **form.cleaned_data)):
                messages.success(request, "Update added.")
                return redirect(action)
    return render(
        request,
        "meetings/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author"),
            "form": form,
            "today": timezone.localdate(),
        },
        status=_form_status(form),
    )


@login_required
@permission_required("meetings.view_meeting", raise_exception=True)
def feed_list(request):
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: services.feed_create(user=request.user, **form.cleaned_data))
        if result:
            feed, token = result
            url = request.build_absolute_uri(reverse("meetings:feed", kwargs={"token": token}))
            return render(request, "meetings/feed_created.html", {"feed": feed, "url": url})
    return render(
        request,
        "meetings/feed_list.html",
        {"feeds": request.user.calendar_feeds.all(), "form": form},
        status=_form_status(form),
    )


@login_required
@require_POST
def feed_revoke(request, pk: int):
    feed = get_object_or_404(request.user.calendar_feeds, pk=pk)
    services.feed_revoke(feed=feed, user=request.user)
    messages.success(request, f"Calendar link '{feed.name}' has been revoked. Calendars using it will stop updating.")
    return redirect("meetings:feed-list")


def feed(request, token: str):
    """A private iCalendar feed: the token is the credential, so no sign-in; wrong or revoked → 404."""
    calendar_feed = services.feed_for_token(token)
    if calendar_feed is None or not calendar_feed.user.has_perm("meetings.view_meeting"):
        raise Http404
    body = render_feed(calendar_feed, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{calendar_feed.name}.ics", inline=True)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notification_list(request):
    """The person's notifications, and how they want each kind by email (saved all together or not at all)."""
    notifications = request.user.notifications.all()[:100]
    form = PreferenceForm(request.POST or None, frequencies=reminders.frequencies_for(request.user))
    if request.method == "POST":
        unknown = form.unknown_fields()
        if unknown:
            form.is_valid()
            for name in unknown:
                form.add_error(None, f"'{name}' is not a kind of notification: nothing was saved")
        elif form.is_valid():
            choices = {code: value for code, value in form.cleaned_data.items() if value}
            if run_service(form, lambda: services.preferences_set(user=request.user, choices=choices)):
                messages.success(request, "Your notification preferences have been saved.")
                return redirect("meetings:notification-list")
    unread = [n.pk for n in notifications if n.read_at is None]
    response = render(
        request,
        "meetings/notification_list.html",
        {"notifications": notifications, "form": form, "unread": unread},
        status=_form_status(form),
    )
    if unread:
        request.user.notifications.filter(pk__in=unread).update(read_at=timezone.now())
    return response


# --- The forward plan and the decision register (ADR 0604) ----------------------------------------


@login_required
@permission_required("meetings.view_forwardplanentry", raise_exception=True)
@require_GET
def forward_plan_list(request):
    entries = where_taken(
        forward_plan_visible_to(request.user).order_by("planned_on", "pk"),
        meetings=meetings_visible_to(request.user),
        items=agenda_items_visible_to(request.user),
        url=lambda m: reverse("meetings:meeting-detail", args=[m.pk]),
    )
    return render(
        request,
        "meetings/forward_plan.html",
        {
            "entries": entries,
            "edit": request.user.has_perm("meetings.change_forwardplanentry") and bool(request.user.council_id),
            "can_add": request.user.has_perm("meetings.add_forwardplanentry") and bool(request.user.council_id),
        },
    )


def _forward_plan_choices(user) -> dict:
    return {
        "delivery_bodies": delivery_bodies_visible_to(user).filter(ownerships__council=user.council).distinct(),
        "meetings": meetings_visible_to(user).filter(council=user.council).order_by("-date"),
        "items": agenda_items_visible_to(user)
        .filter(meeting__council=user.council)
        .order_by("-meeting__date", "order"),
    }


@login_required
@permission_required("meetings.add_forwardplanentry", raise_exception=True)
def forward_plan_create(request):
    if not request.user.council_id:
        raise Http404
    form = ForwardPlanForm(request.POST or None, **_forward_plan_choices(request.user))
    if request.method == "POST" and form.is_valid():
        entry = run_service(
            form,
            lambda: services.forward_plan_add(user=request.user, council=request.user.council, **form.cleaned_data),
        )
        if entry:
            _notice_message(request, entry, "Added to the forward plan.")
            return redirect("meetings:forward-plan")
    return render_form_page(
        request,
        form,
        title="Add a decision to the forward plan",
        caption="Forward plan",
        intro="A key decision needs 28 clear days' notice: calendar days, not counting the day the notice is "
        "published or the day of the decision.",
        cancel_url=reverse("meetings:forward-plan"),
    )


@login_required
@permission_required("meetings.change_forwardplanentry", raise_exception=True)
def forward_plan_edit(request, pk: int):
    entry = get_visible_or_404(ForwardPlanEntry, request.user, pk=pk)
    fields = [f for f in ForwardPlanForm.base_fields]
    initial = {f: getattr(entry, f) for f in fields}
    form = ForwardPlanChangeForm(request.POST or None, initial=initial, **_forward_plan_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        changed = run_service(
            form, lambda: services.forward_plan_change(entry=entry, user=request.user, reason=reason, **data)
        )
        if changed:
            _notice_message(request, changed, "Forward plan entry changed.")
            return redirect("meetings:forward-plan")
    return render_form_page(
        request,
        form,
        title=f"Change {entry.title}",
        caption="Forward plan",
        cancel_url=reverse("meetings:forward-plan"),
    )


def _notice_message(request, entry: ForwardPlanEntry, done: str) -> None:
    if entry.short_notice:
        messages.warning(
            request,
            f"{done} Short notice: {entry.notice_clear_days} clear days before the decision, fewer than the 28 a "
            "key decision needs. Use general exception or special urgency, or move the decision.",
        )
    else:
        messages.success(request, done)


@login_required
@permission_required("meetings.view_resolution", raise_exception=True)
@require_GET
def decision_register(request):
    return render(request, "meetings/decision_register.html", {"rows": register_for(request.user)})
