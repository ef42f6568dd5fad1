"""Named behaviours a step can ask for; dialog files are checked against this list."""

ACTIONS: dict[str, str] = {
    "show_help": "shows the helplines of the child's country, with a way back",
    "show_lessons": "shows the lessons as buttons",
}
