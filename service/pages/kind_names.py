"""What each kind of thing is called in the interface, one and many (``agenda-item`` is
"Agenda item" / "Agenda items", in the reader's language through the message catalogue), and
what each kind of named graph holds."""

from __future__ import annotations

from service.pages.message_catalogue import N_, gettext

# kind -> (one, many)
KIND_NAMES: dict[str, tuple[str, str]] = {
    "country": (N_("Country"), N_("Countries")),
    "region": (N_("Region"), N_("Regions")),
    "government": (N_("Regional government"), N_("Regional governments")),
    "membership": (N_("Membership"), N_("Memberships")),
    "organization": (N_("Organization"), N_("Partners and NEAR")),
    "conference": (N_("Conference"), N_("Conferences")),
    "series": (N_("Conference series"), N_("Conference series")),
    "participation": (N_("Participation"), N_("Who attended what")),
    "agenda-item": (N_("Agenda item"), N_("Agenda items")),
    "declaration": (N_("Declaration"), N_("Declarations")),
    "resolution": (N_("Resolution"), N_("Resolutions")),
    "body": (N_("Body"), N_("Bodies")),
    "subcommittee": (N_("Subcommittee"), N_("Subcommittees")),
    "coordination": (N_("Coordination"), N_("Coordinators")),
    "program": (N_("Program"), N_("Programs")),
    "publication": (N_("Publication"), N_("Publications")),
    "figure": (N_("Stated figure"), N_("Stated figures")),
    "source": (N_("Source document"), N_("Sources")),
    "unit": (N_("Unit"), N_("Units")),
}


def kind_name(kind: str) -> str:
    """One thing of ``kind`` ("Region"), in the reader's language."""
    one = KIND_NAMES.get(kind, (kind.replace("-", " ").capitalize(),))[0]
    return gettext(one)


def kind_heading(kind: str) -> str:
    """A list of things of ``kind`` ("Regions"), in the reader's language."""
    names = KIND_NAMES.get(kind)
    return gettext(names[1]) if names else kind.replace("-", " ").capitalize()


# the folder of a named graph (loaders.layout.FOLDERS, and the loader's own description graph,
# loaders.snapshot.DESCRIPTION_FOLDER) -> what its graphs hold
GRAPH_KINDS: dict[str, str] = {
    "data": N_("Data"),
    "ontology": N_("Ontology"),
    "shapes": N_("SHACL shapes"),
    "description": N_("Dataset description"),
}


def graph_kind(folder: str) -> str:
    """What the graphs of ``folder`` hold ("Data"), in the reader's language."""
    name = GRAPH_KINDS.get(folder)
    return gettext(name) if name else folder
