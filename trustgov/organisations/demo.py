"""Demo councils, delivery bodies, directions and MoUs, from the public papers in shared/seeds."""

from datetime import date

from django.contrib.auth import get_user_model

from trustgov.core.demo import upsert

from .models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding, OfficeHolding, Ownership

S497A = "s497A(4B) Education Act 1996"

ORGANISATIONS = [
    {
        "council": {
            "slug": "sandwell",
            "la_code": "333",
            "gss_code": "E08000028",
            "name": "Sandwell Metropolitan Borough Council",
            "council_type": "metropolitan",
            "website": "https://www.sandwell.gov.uk",
        },
        "body": {
            "slug": "sandwell-trust",
            "name": "Sandwell Children's Trust",
            "kind": DeliveryBody.Kind.TRUST,
            "operational_from": date(2018, 4, 1),
            "shadow_from": date(2017, 10, 1),
        },
        "directions": [
            {
                "title": "Direction to establish a children's trust",
                "issued_on": date(2016, 10, 27),
                "commissioner": "Malcolm Newsam (Sandwell Children's Commissioner)",
                "summary": "Ofsted re-inspected in November 2017 and rated services Inadequate (reported 19 January 2018). "
                "Cabinet approved the contract on 28 February 2018 for the Trust to go live on 1 April 2018.",
            },
        ],
        "mou": {
            "status": "signed",
            "signed_on": date(2018, 3, 28),
            "principal_provisions": "Trust wholly owned by the council; DfE consent to Chair and Chief Executive "
            "appointments and to termination of the service contract.",
        },
    },
    {
        "council": {
            "slug": "west-sussex",
            "la_code": "938",
            "gss_code": "E10000032",
            "name": "West Sussex County Council",
            "council_type": "county",
            "website": "https://www.westsussex.gov.uk",
        },
        "body": {
            "slug": "west-sussex-trust",
            "name": "West Sussex Children's Trust",
            "kind": DeliveryBody.Kind.TRUST,
            "operational_from": date(2021, 10, 1),
            "shadow_from": date(2021, 4, 1),
        },
        "directions": [
            {
                "title": "Direction following the Ofsted judgement of May 2019",
                "issued_on": date(2019, 6, 3),
                "commissioner": "John Coughlan CBE",
                "summary": "Appointed a Commissioner to report on how best to secure improvement (report October 2019).",
            },
            {
                "title": "Second direction: prepare to establish a children's trust",
                "issued_on": date(2019, 11, 15),
                "commissioner": "John Coughlan CBE",
                "summary": "Directed the council to make preparations for a Children's Trust, working with the reappointed "
                "Commissioner; statutory Improvement Board chaired by the Commissioner.",
            },
        ],
        "mou": {
            "status": "draft",
            "signed_on": None,
            "principal_provisions": "Scope: children's social care, early help, and education and school support. "
            "Board of 7 to 10 with no elected members; Chair appointed by the DfE. DfE rights "
            "over termination and major service change while the direction is in force.",
        },
    },
    {
        "council": {
            "slug": "bradford",
            "la_code": "380",
            "gss_code": "E08000032",
            "name": "City of Bradford Metropolitan District Council",
            "council_type": "metropolitan",
            "website": "https://www.bradford.gov.uk",
        },
        "body": {
            "slug": "bradford-trust",
            "name": "Bradford Children and Families Trust",
            "kind": DeliveryBody.Kind.TRUST,
            "operational_from": date(2023, 4, 1),
            "shadow_from": date(2022, 10, 1),
        },
        "directions": [
            {
                "title": "Direction to establish a children's trust",
                "issued_on": date(2022, 1, 25),
                "commissioner": "Steve Walker (Children's Services Commissioner)",
                "summary": "Following the Commissioner's report of January 2022, operational control of children's social "
                "care moves to a trust under the supervision of the Commissioner and the DfE. SEND is not "
                "transferred.",
            },
        ],
        "mou": {
            "status": "draft",
            "signed_on": None,
            "principal_provisions": "Progress reported to the Corporate Overview and Scrutiny Committee; the contract "
            "to be presented to the Committee before it is finalised.",
        },
    },
    {
        "council": {
            "slug": "doncaster",
            "la_code": "371",
            "gss_code": "E08000017",
            "name": "Doncaster Metropolitan Borough Council",
            "council_type": "metropolitan",
            "website": "https://www.doncaster.gov.uk",
        },
        "body": {
            "slug": "doncaster-trust",
            "name": "Doncaster Children's Services Trust",
            "kind": DeliveryBody.Kind.TRUST,
            "operational_from": date(2014, 10, 1),
            "shadow_from": date(2014, 4, 1),
        },
        "directions": [
            {
                "title": "Direction to commission an independent children's trust",
                "issued_on": date(2013, 10, 1),
                "commissioner": "Children's Commissioner for Doncaster (after Professor Le Grand and Alan Wood's report)",
                "summary": "Draft direction of July 2013; the Mayor asked (13 August 2013) that the council, not the "
                "Commissioner, commission the Trust, with a Chair, five council NEDs and five executives.",
            },
        ],
        "mou": {
            "status": "signed",
            "signed_on": date(2014, 9, 15),
            "principal_provisions": "Council commissions the Trust; the Trust Chief Executive is the DCS.",
        },
    },
    {
        "council": {
            "slug": "torbay",
            "la_code": "880",
            "gss_code": "E06000027",
            "name": "Torbay Council",
            "council_type": "unitary",
            "website": "https://www.torbay.gov.uk",
        },
        "body": {
            "slug": "torbay-partnership",
            "name": "Torbay and Plymouth Children's Services Partnership",
            "kind": DeliveryBody.Kind.PARTNERSHIP,
            "lead_authority": "Plymouth City Council",
            "wholly_owned": False,
            "operational_from": date(2018, 4, 1),
            "shadow_from": None,
        },
        "directions": [
            {
                "title": "Statutory direction following the Ofsted inspection",
                "issued_on": date(2016, 5, 16),
                "commissioner": "John Coughlan (Chief Executive of Hampshire)",
                "summary": "The Commissioner recommended on 5 April 2017 a partnership with Plymouth City Council's "
                "children's services, covering education and social care. Council decision 20 July 2017.",
            },
        ],
        "mou": {
            "status": "draft",
            "signed_on": None,
            "principal_provisions": "Inter-authority partnership led by Plymouth, subject to a DfE statutory direction.",
        },
    },
]


def seed() -> dict[str, DeliveryBody]:
    bodies = {}
    for entry in ORGANISATIONS:
        c = dict(entry["council"])
        council = upsert(Council, {"slug": c.pop("slug")}, c)
        b = dict(entry["body"])
        body = upsert(DeliveryBody, {"slug": b.pop("slug")}, {**b, "council": council})
        bodies[body.slug] = body
        for d in entry["directions"]:
            d = dict(d)
            upsert(Direction, {"council": council, "title": d.pop("title")}, {"legal_basis": S497A, **d})
        upsert(MemorandumOfUnderstanding, {"council": council, "delivery_body": body}, entry["mou"])
    bodies[JOINT_TRUST] = _northamptonshire()
    return bodies


def demo_council_slugs() -> list[str]:
    """The demo's councils: ``seed_demo`` writes into these and no other (a council adopted for real on the same
    database is never given demo KPIs, meetings or users)."""
    return sorted([e["council"]["slug"] for e in ORGANISATIONS] + list(JOINT_OWNERS))


def demo_body_slugs() -> list[str]:
    return sorted([e["body"]["slug"] for e in ORGANISATIONS] + [JOINT_TRUST])


def demo_councils():
    return Council.objects.filter(slug__in=demo_council_slugs()).order_by("slug")


def demo_bodies():
    return DeliveryBody.objects.filter(slug__in=demo_body_slugs()).order_by("slug")


# The sixth arrangement: a trust owned jointly by two councils (one contract, a joint committee). Public
# sources: Northamptonshire Children's Trust, 2020, owned by North and West Northamptonshire councils since
# they were created on 1 April 2021. West Northamptonshire is recorded as the lead owner for the demo.
JOINT_TRUST = "northamptonshire-trust"
JOINT_OWNERS = ("north-northamptonshire", "west-northamptonshire")


def _northamptonshire() -> DeliveryBody:
    north = upsert(
        Council,
        {"slug": "north-northamptonshire"},
        {
            "name": "North Northamptonshire Council",
            "council_type": "unitary",
            "website": "https://www.northnorthants.gov.uk",
            "la_code": "940",
            "gss_code": "E06000061",
        },
    )
    west = upsert(
        Council,
        {"slug": "west-northamptonshire"},
        {
            "name": "West Northamptonshire Council",
            "council_type": "unitary",
            "website": "https://www.westnorthants.gov.uk",
            "la_code": "941",
            "gss_code": "E06000062",
        },
    )
    body = upsert(
        DeliveryBody,
        {"slug": JOINT_TRUST},
        {
            "name": "Northamptonshire Children's Trust",
            "kind": DeliveryBody.Kind.TRUST,
            "council": west,
            "wholly_owned": False,
            "operational_from": date(2020, 11, 1),
        },
    )
    for council in (west, north):
        upsert(Ownership, {"delivery_body": body, "council": council}, {"since": date(2021, 4, 1)})
    return body


# Office holders as the papers name them (no dates the papers do not give). Sandwell: Cabinet report of
# 19 September 2018 (its header and the Trust Board table of its appendix); Doncaster: the proposal of
# 13 August 2013; Torbay: Council report of 20 July 2017. West Sussex's and Bradford's papers give the
# posts but not the names, so those offices show as not recorded.
SANDWELL_2018 = "Sandwell Cabinet report, 19 September 2018"
OFFICE_HOLDERS = [
    (
        "sandwell",
        None,
        "dcs",
        "Lesley Hagger",
        "Executive Director of Children's Services",
        SANDWELL_2018,
        "sandwell-dcs",
    ),
    (
        "sandwell",
        None,
        "lead_member",
        "Councillor Simon Hackett",
        "Cabinet Member for Children's Services",
        SANDWELL_2018,
        None,
    ),
    ("sandwell", "sandwell-trust", "trust_chair", "Rt Hon Jacqui Smith", "Chair", SANDWELL_2018, None),
    (
        "sandwell",
        "sandwell-trust",
        "trust_chief_executive",
        "Frances Craven",
        "Chief Executive, SCT",
        SANDWELL_2018,
        None,
    ),
    (
        "doncaster",
        None,
        "dcs",
        "Eleanor Brazil",
        "Director of Children's Services (through the Improvement Partner, IMPOWER)",
        "Doncaster proposal to the Secretary of State, 13 August 2013",
        None,
    ),
    (
        "torbay",
        None,
        "chief_executive",
        "Steve Parrock",
        "Chief Executive",
        "Torbay Council report, 20 July 2017",
        None,
    ),
    (
        "torbay",
        None,
        "lead_member",
        "Julien Parrott",
        "Executive Lead for Adults and Children",
        "Torbay Council report, 20 July 2017",
        None,
    ),
]


def seed_office_holders() -> None:
    """Run after the demo users exist: the Sandwell DCS's holding is linked to her demo account."""
    User = get_user_model()  # the accounts layer sits above organisations: ask Django for the model

    for council_slug, body_slug, office, name, title, source, username in OFFICE_HOLDERS:
        council = Council.objects.filter(slug=council_slug).first()
        if council is None:
            continue
        body = DeliveryBody.objects.get(slug=body_slug) if body_slug else None
        account = User.objects.filter(username=username).first() if username else None
        upsert(
            OfficeHolding,
            {"council": council, "delivery_body": body, "office": office, "holder_name": name},
            {"title_held": title, "source": source, "user": account},
        )
