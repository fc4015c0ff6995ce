"""A council's contract with its children's trust as Open Contracting Data Standard 1.1 releases.

One release per change, built from the history TrustGov already keeps (simple-history): each change to
the contract, to its money (a financial year's contract sum), to a variation that is in effect, and each
paper published for a meeting held under the contract. Every release is the whole contract as it stood
just after that change, so the record's ``compiledRelease`` is the latest state.

Never published, whoever asks: exempt variations and papers, papers on an exempt agenda item, and papers
that are not yet published (drafts, or approved but not out). See
docs/decisions/0602-open-data-real-standards.md.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, ContractYearFinance, Variation
from meetings.models import Document
from meetings.selectors import public_documents, public_papers
from trustgov.core.scoping import visible

OCDS_VERSION = "1.1"
UK = ZoneInfo("Europe/London")
LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
# TrustGov contract status -> OCDS contractStatus codelist (pending, active, cancelled, terminated).
OCDS_CONTRACT_STATUS = {
    "draft": "pending",
    "signed": "active",
    "live": "active",
    "in_notice": "active",
    "terminated": "terminated",
    "expired": "terminated",
}
# Not org-id.guide lists (see the ADR): GB-LAE would need the register's three-letter code, not the DfE number.
GSS_SCHEME = "GB-GSS"
LA_NUMBER_SCHEME = "GB-DFE-LA"


def start_of_day(d: dt.date | None) -> str | None:
    """A date as OCDS reads a date with no time when it starts something: 00:00:00 UK time, with offset."""
    return dt.datetime.combine(d, dt.time(0, 0), tzinfo=UK).isoformat(timespec="seconds") if d else None


def end_of_day(d: dt.date | None) -> str | None:
    """A date that ends something: 23:59:59 of that day, UK time, with offset (OCDS reference, "Dates")."""
    return dt.datetime.combine(d, dt.time(23, 59, 59), tzinfo=UK).isoformat(timespec="seconds") if d else None


def moment(value: dt.datetime) -> str:
    return value.astimezone(UK).isoformat(timespec="seconds")


def ocid_for(contract) -> str:
    return f"{settings.OCDS_PREFIX}-{contract.reference}"


def _money(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": "GBP"}


def _council_party(council, *, lead: bool = True) -> dict:
    """A council party to the contract: every party council is a buyer; the lead one also procured it."""
    roles = ["buyer", "procuringEntity"] if lead else ["buyer"]
    party = {"id": f"council-{council.slug}", "name": council.name, "roles": roles}
    identifiers = []
    if council.gss_code:
        identifiers.append({"scheme": GSS_SCHEME, "id": council.gss_code, "legalName": council.name})
    if council.la_code:
        identifiers.append({"scheme": LA_NUMBER_SCHEME, "id": council.la_code, "legalName": council.name})
    if identifiers:
        party["identifier"] = identifiers[0]
        if identifiers[1:]:
            party["additionalIdentifiers"] = identifiers[1:]
    if council.website:
        party["details"] = {"url": council.website}
    return party


def _supplier_party(body, company_number: str) -> dict:
    party = {"id": f"trust-{body.slug}", "name": body.name, "roles": ["supplier"]}
    if company_number:
        party["identifier"] = {"scheme": "GB-COH", "id": company_number, "legalName": body.name}
    return party


class ContractHistory:
    """What may be published about one contract, read once; ``releases()`` replays it change by change."""

    def __init__(self, contract: Contract, user=None, *, public_council=None):
        """What ``user`` may see of the contract or, with ``public_council`` and no user, what that council's public
        pages show: its published papers only, and no release from before the contract was signed (a draft is
        not yet an agreement, ADR 0608)."""
        self.contract = contract
        self.ocid = ocid_for(contract)
        self.co_councils = [c for c in contract.party_councils() if c.pk != contract.council_id]
        self.public_council = public_council
        if public_council is not None:
            variations = Variation.objects.all()
            finance = ContractYearFinance.objects.all()
            papers = public_papers(public_council)
        else:
            variations = visible(Variation, user)
            finance = visible(ContractYearFinance, user)
            papers = public_documents(user)
        # Only what the caller may see and, whoever they are, nothing exempt.
        self.variation_ids = set(variations.filter(contract=contract, is_exempt=False).values_list("pk", flat=True))
        self.finance_ids = set(finance.filter(contract=contract).values_list("pk", flat=True))
        self.documents = list(
            papers.filter(
                publication=Document.Publication.PUBLISHED,
                published_at__isnull=False,
                is_exempt=False,
                agenda_item__is_exempt=False,
            )
            .filter(
                Q(agenda_item__meeting__obligation__contract=contract)
                | Q(
                    agenda_item__meeting__obligation__isnull=True,
                    agenda_item__meeting__delivery_body=contract.delivery_body,
                    agenda_item__meeting__council=contract.council,
                )
            )
            .select_related("agenda_item__meeting")
            .order_by("published_at", "pk")
        )
        self.contract_states = list(contract.history.order_by("history_date", "history_id"))
        self.variation_states = list(
            Variation.history.filter(id__in=self.variation_ids).order_by("history_date", "history_id")
        )
        self.finance_states = list(
            ContractYearFinance.history.filter(id__in=self.finance_ids).order_by("history_date", "history_id")
        )

    def change_times(self) -> list[dt.datetime]:
        times = {h.history_date for h in self.contract_states}
        times |= {h.history_date for h in self.variation_states}
        times |= {h.history_date for h in self.finance_states}
        times |= {d.published_at for d in self.documents}
        first = self.contract_states[0].history_date if self.contract_states else None
        if self.public_council is not None:  # published from the signing on: a draft's terms never reach the public
            signed = [h.history_date for h in self.contract_states if h.status != Contract.Status.DRAFT]
            first = signed[0] if signed else None
        return sorted(t for t in times if first and t >= first)

    @staticmethod
    def _as_of(states, when) -> dict:
        """{record id: its last historical row at or before ``when``}, deleted ones left out."""
        latest = {}
        for state in states:
            if state.history_date <= when:
                latest[state.id] = state
        return {pk: s for pk, s in latest.items() if s.history_type != "-"}

    def _release_id(self, when: dt.datetime) -> str:
        return f"{self.ocid}-{when.astimezone(dt.UTC):%Y%m%dT%H%M%S.%fZ}"

    def releases(self) -> list[dict]:
        out: list[dict] = []
        amendment_releases: dict[int, tuple[str, str | None]] = {}  # variation -> (releaseID, amendsReleaseID)
        for when in self.change_times():
            state = self._as_of(self.contract_states, when)[self.contract.pk]
            release_id = self._release_id(when)
            previous = out[-1] if out else None
            variations = sorted(
                (
                    v
                    for v in self._as_of(self.variation_states, when).values()
                    if v.status == Variation.Status.IN_EFFECT
                ),
                key=lambda v: (v.effective_on or v.proposed_on, v.id),
            )
            for v in variations:
                amendment_releases.setdefault(v.id, (release_id, previous["id"] if previous else None))
            release = self._release(state, when, release_id, variations, amendment_releases)
            release["tag"] = self._tag(release, previous)
            out.append(release)
        return out

    @staticmethod
    def _tag(release: dict, previous: dict | None) -> list[str]:
        if previous is None:
            return ["contract"]
        now, before = release["contracts"][0], previous["contracts"][0]
        if now["status"] == "terminated" and before["status"] != "terminated":
            return ["contractTermination"]
        if len(now.get("amendments", [])) > len(before.get("amendments", [])):
            return ["contractAmendment"]
        return ["contractUpdate"]

    def _release(self, state, when, release_id, variations, amendment_releases) -> dict:
        contract = self.contract
        council, body = contract.council, contract.delivery_body
        buyer = _council_party(council)
        # A joint contract binds every owning council (Contract.party_councils): each is a party in the buyer
        # role; OCDS has one `buyer`, the lead council.
        co_buyers = [_council_party(c, lead=False) for c in self.co_councils]
        supplier = _supplier_party(body, body.company_number or state.supplier_company_number)
        award_id = f"{state.reference}-award"
        ocds_contract = {
            "id": state.reference,
            "awardID": award_id,
            "title": state.title,
            "description": state.description or state.title,
            "status": OCDS_CONTRACT_STATUS.get(state.status, "pending"),
            "period": {"startDate": start_of_day(state.start_date), "endDate": end_of_day(state.end_date)},
        }
        if state.signed_on:
            ocds_contract["dateSigned"] = start_of_day(state.signed_on)
        years = sorted(self._as_of(self.finance_states, when).values(), key=lambda y: y.financial_year)
        if years:
            ocds_contract["value"] = _money(sum((y.contract_sum for y in years), Decimal("0")))
            ocds_contract["items"] = [self._year_item(y) for y in years]
        if variations:
            ocds_contract["amendments"] = [self._amendment(v, *amendment_releases[v.id]) for v in variations]
        documents = [self._document(d) for d in self.documents if d.published_at <= when]
        if documents:
            ocds_contract["documents"] = documents
        return {
            "ocid": self.ocid,
            "id": release_id,
            "date": moment(when),
            "tag": ["contract"],
            "initiationType": "tender",
            "language": "en",
            "parties": [buyer, *co_buyers, supplier],
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
            "awards": [
                {
                    "id": award_id,
                    "title": state.title,
                    "status": "active",
                    "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
                }
            ],
            "contracts": [ocds_contract],
        }

    @staticmethod
    def _year_item(year) -> dict:
        label = f"{year.financial_year}/{(year.financial_year + 1) % 100:02d}"
        return {
            "id": f"financial-year-{year.financial_year}",
            "description": f"Contract sum for the financial year {label} (1 April {year.financial_year} to "
            f"31 March {year.financial_year + 1})",
            "quantity": 1,
            "unit": {"name": "Financial year", "value": _money(year.contract_sum)},
        }

    @staticmethod
    def _amendment(variation, release_id: str, amends: str | None) -> dict:
        amendment = {
            "id": f"variation-{variation.id}",
            "date": start_of_day(variation.effective_on or variation.dfe_consent_on or variation.proposed_on),
            "rationale": variation.title,
            "releaseID": release_id,
        }
        if variation.description:
            amendment["description"] = variation.description
        if amends:
            amendment["amendsReleaseID"] = amends
        return amendment

    def _document(self, document) -> dict:
        meeting = document.agenda_item.meeting
        if self.public_council is not None:  # the public download: no sign-in
            url = reverse("public:paper-download", kwargs={"slug": self.public_council.slug, "pk": document.pk})
        else:
            url = reverse("meetings:document-download", kwargs={"pk": document.pk})
        return {
            "id": f"meeting-paper-{document.pk}",
            "title": document.title,
            "description": f"Paper for {meeting.title}, {meeting.date:%-d %B %Y}",
            "url": settings.SITE_URL + url,
            "datePublished": moment(document.published_at),
            "format": {
                "pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }.get(document.file_type, "application/octet-stream"),
            "language": "en",
        }


def contract_releases(contract: Contract, user) -> list[dict]:
    """Every release of one contract, oldest first."""
    return ContractHistory(contract, user).releases()


def public_contract_releases(contract: Contract, council) -> list[dict]:
    """Every release of one contract as the council's public pages may show it, oldest first: from its signing,
    with the papers its public meetings published."""
    return ContractHistory(contract, public_council=council).releases()


def contract_release(contract: Contract, user) -> dict:
    """The contract as it stands now: its latest release."""
    return contract_releases(contract, user)[-1]


def compiled_release(releases: list[dict]) -> dict:
    """The latest state. Each release is a whole snapshot, so the compiled release is the last one, tagged
    ``compiled`` (what OCDS merging gives for snapshots, without keeping what a later change removed)."""
    return {**releases[-1], "id": f"{releases[-1]['ocid']}-compiled", "tag": ["compiled"]}


def _package_meta(uri: str) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": moment(timezone.now()),
        "publisher": {"name": "TrustGov", "uri": settings.SITE_URL},
        "license": LICENCE,
        "publicationPolicy": f"{settings.SITE_URL}/api/docs/",
    }


def release_package(releases: list[dict], uri: str) -> dict:
    return {**_package_meta(uri), "releases": releases}


def record_package(histories: list[list[dict]], uri: str) -> dict:
    records = [
        {"ocid": releases[0]["ocid"], "releases": releases, "compiledRelease": compiled_release(releases)}
        for releases in histories
        if releases
    ]
    return {**_package_meta(uri), "records": records}
