"""A picture of a dialog's flow, drawn by transitions' GraphMachine from the same steps."""

from __future__ import annotations

from typing import Literal

from transitions.extensions import GraphMachine

from bot.content.model import Dialog
from bot.errors import SafebotError

Engine = Literal["pygraphviz", "graphviz", "mermaid"]

MAX_LABEL = 30


class _Page:
    """The model the drawing machine needs; its state is the highlighted step."""

    state: str


def _label(text: str) -> str:
    # Mermaid reads ':' and quotes as syntax; a short plain label keeps the picture readable
    clean = text.replace(":", " ").replace('"', "'").replace("\n", " ")
    return clean if len(clean) <= MAX_LABEL else clean[: MAX_LABEL - 1] + "…"


def flow_machine(
    dialog: Dialog, current: str | None = None, engine: Engine = "mermaid"
) -> tuple[GraphMachine, _Page]:
    """A drawing machine: steps as states, choices as labelled arrows."""
    states = list(dialog.steps)
    transitions = []
    for step in dialog.steps.values():
        for choice in step.choices:
            target = choice.next
            if choice.dialog:
                target = f"open_{choice.dialog}"
                if target not in states:
                    states.append(target)
            transitions.append(
                {"trigger": _label(choice.label.source), "source": step.id, "dest": target}
            )
    page = _Page()
    machine = GraphMachine(
        model=page,
        states=states,
        transitions=transitions,
        initial=dialog.start,
        auto_transitions=False,
        graph_engine=engine,
        title=dialog.title.source,
        show_state_attributes=False,
    )
    if current is not None and current in dialog.steps and current != dialog.start:
        machine.set_state(current, model=page)
    return machine, page


def mermaid(dialog: Dialog, current: str | None = None) -> str:
    """The flow as Mermaid `stateDiagram-v2` text; `current` is highlighted."""
    _machine, page = flow_machine(dialog, current)
    text: str = page.get_graph(force_new=True).draw(None)  # type: ignore[attr-defined]
    ends = "".join(f"  {step.id} --> [*]\n" for step in dialog.steps.values() if step.end)
    return text.rstrip("\n") + "\n" + ends


def svg(dialog: Dialog) -> bytes:
    """The flow as SVG, through Graphviz (needs the `graphviz` package and `dot`)."""
    needs = (
        "SVG needs Graphviz: pip install 'safebot[graph]', and the 'graphviz' system package "
        "(apt install graphviz). Mermaid output (the default) needs nothing."
    )
    try:
        import graphviz  # type: ignore[import-not-found]
    except ImportError:
        raise SafebotError(needs) from None
    _machine, page = flow_machine(dialog, engine="graphviz")
    try:
        data: bytes = page.get_graph().pipe(format="svg")  # type: ignore[attr-defined]
    except graphviz.ExecutableNotFound:
        raise SafebotError(needs) from None
    return data
