"""The review booklet's stylesheet, inlined in the page: readable on a phone, a laptop and
on A4 paper. Columns (English and each translation) stack on narrow screens."""

STYLE = """
:root { --ink: #1b1b1b; --soft: #5b5b5b; --line: #d0d0d0; --blue: #1f4e79;
  --green: #2e6b2e; --amber: #8a5a00; --red: #a4262c; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; padding: 1rem; max-width: 60rem; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial,
  sans-serif; overflow-wrap: anywhere; }
h1 { font-size: 1.8rem; margin: 0.2rem 0; }
h2 { font-size: 1.4rem; margin-top: 2rem; border-bottom: 2px solid var(--blue); }
h3 { font-size: 1.1rem; margin: 0.2rem 0; }
a { color: var(--blue); }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; color: var(--soft); margin: 0; }
dl.status { display: grid; grid-template-columns: max-content minmax(0, 1fr);
  gap: 0.2rem 1rem; margin: 1rem 0; }
dl.status dt { font-weight: bold; }
dl.status dd { margin: 0; }
.how ul { padding-left: 1.2rem; }
figure { margin: 1rem 0; }
figcaption { color: var(--soft); font-size: 0.9rem; margin-bottom: 0.5rem; }
svg.flow { display: block; width: 100%; max-width: 760px; height: auto; margin: 0 auto;
  font-family: system-ui, "Noto Sans", Arial, sans-serif; }
svg.flow text { fill: var(--ink); }
svg.flow a:hover rect, svg.flow a:focus rect { fill: #dbe8f5; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; }
.key p { font-size: 1.1rem; border-left: 4px solid var(--green); padding-left: 0.6rem; }
section.step { border-top: 1px solid var(--line); padding-top: 0.8rem; margin-top: 1rem; }
.number { color: var(--blue); margin-right: 0.4rem; }
.notes { margin: 0.3rem 0; }
.tag { display: inline-block; font-size: 0.8rem; border: 1px solid var(--line);
  border-radius: 0.8rem; padding: 0 0.5rem; margin: 0 0.2rem 0.2rem 0; color: var(--soft); }
.tag.over { border-color: var(--red); color: var(--red); font-weight: bold; }
.tag.check { border-color: var(--blue); color: var(--blue); }
.tag.end { border-color: var(--green); color: var(--green); }
.lines { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr));
  gap: 0 1rem; }
.row { display: contents; }
.cell { padding: 0.35rem 0; border-bottom: 1px dotted var(--line); min-width: 0; }
.cell.head { font-weight: bold; color: var(--soft); border-bottom: 1px solid var(--ink); }
.row.line-question .cell { font-size: 1.02rem; }
.row.line-feedback .cell { padding-left: 1rem; color: #333; }
.row.line-choice .cell { padding-top: 0.6rem; }
.choice { display: inline-block; border: 1px solid #9a7b2f; background: #fdf6e3;
  border-radius: 1rem; padding: 0.1rem 0.7rem; }
.right { color: var(--green); font-weight: bold; white-space: nowrap; }
.leads { font-size: 0.85rem; color: var(--soft); white-space: nowrap; }
.cell.missing { color: var(--soft); }
.mark { display: inline-block; font-size: 0.75rem; font-weight: bold; font-style: normal;
  border-radius: 0.3rem; padding: 0 0.4rem; margin-left: 0.2rem; }
.mark.missing { background: #fde7e9; color: var(--red); border: 1px solid var(--red); }
.mark.fuzzy { background: #fff4ce; color: var(--amber); border: 1px solid var(--amber); }
.top { font-size: 0.85rem; margin: 0.3rem 0 0; }
#check li.error { color: var(--red); }
@media (max-width: 40rem) {
  body { padding: 0.6rem; }
  .lines { grid-template-columns: minmax(0, 1fr); }
  .cell.head { display: none; }
  .cell:not([lang="en"]) { border-left: 3px solid var(--line); padding-left: 0.5rem; }
  dl.status { grid-template-columns: minmax(0, 1fr); }
  dl.status dd { margin-bottom: 0.4rem; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, .top { display: none; }
  h2 { break-after: avoid; }
  .band { break-before: page; }
  h3, .notes { break-after: avoid; }
  .row .cell, .checks, .key, figure { break-inside: avoid; }
  svg.flow { max-height: 245mm; width: auto; max-width: 100%; }
  a { color: inherit; text-decoration: none; }
  #sources a { text-decoration: underline; }
}
"""
