"""The diff report's look, inlined into the page so it is one file to open or attach
to a CI run: the system's own UI font, a calm grey page, white cards, one colour per
status (amber changed, green added, red removed), figures as a table with the
approved and current values side by side, struck and marked words, and each changed
page twice, approved and now, at half the window's width each."""

CSS = """
:root {
  --ink: #1c2430; --muted: #5d6b7c; --line: #dfe4ea; --page: #f4f6f9; --card: #fff;
  --brand: #0b3d91; --changed: #b45309; --changed-bg: #fef3c7; --added: #15803d;
  --added-bg: #dcfce7; --removed: #b91c1c; --removed-bg: #fee2e2; --quiet: #64748b;
  --quiet-bg: #eef2f6;
}
* { box-sizing: border-box; }
html { background: var(--page); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Lato",
  "Helvetica Neue", Arial, sans-serif; }
body { margin: 0; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 28px; }
header.top { background: var(--brand); color: #fff; padding: 26px 0 22px; }
header.top .kicker { margin: 0; text-transform: uppercase; letter-spacing: .12em;
  font-size: 12px; font-weight: 600; opacity: .8; }
header.top h1 { margin: 4px 0 6px; font-size: 30px; line-height: 1.15; font-weight: 700; }
header.top .meta { margin: 0 0 14px; opacity: .85; font-size: 13.5px; }
.chips { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; }
.chip { background: rgba(255,255,255,.14); border-radius: 999px; padding: 3px 12px 3px 4px;
  font-size: 13.5px; }
.chip b { display: inline-block; min-width: 26px; text-align: center; border-radius: 999px;
  padding: 0 6px; margin-right: 6px; background: #fff; color: var(--brand); }
.chip.changed b { background: var(--changed-bg); color: var(--changed); }
.chip.added b { background: var(--added-bg); color: var(--added); }
.chip.removed b { background: var(--removed-bg); color: var(--removed); }
main.wrap { padding-top: 24px; padding-bottom: 40px; }
h2 { font-size: 19px; margin: 26px 0 12px; }
.toc { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 4px 20px 12px; }
.toc h2 { font-size: 15px; margin: 14px 0 6px; color: var(--muted); font-weight: 600; }
.toc ol { margin: 0; padding-left: 20px; }
.toc li { margin: 4px 0; }
.toc a { color: var(--brand); font-weight: 600; text-decoration: none; }
.toc a:hover { text-decoration: underline; }
.toc .what { color: var(--muted); font-size: 13.5px; }
.calm { background: var(--added-bg); color: var(--added); border-radius: 12px;
  padding: 14px 18px; font-weight: 600; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 12px;
  font-weight: 700; text-transform: uppercase; letter-spacing: .06em; vertical-align: 2px; }
.pill.changed { background: var(--changed-bg); color: var(--changed); }
.pill.added { background: var(--added-bg); color: var(--added); }
.pill.removed { background: var(--removed-bg); color: var(--removed); }
.edition { background: var(--card); border: 1px solid var(--line); border-radius: 14px;
  padding: 16px 22px 20px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.edition.changed { border-left: 5px solid var(--changed); }
.edition.added { border-left: 5px solid var(--added); }
.edition.removed { border-left: 5px solid var(--removed); }
.edition header { display: flex; align-items: center; gap: 12px; }
.edition h3 { margin: 0; font-size: 18px; }
.edition h4 { margin: 18px 0 8px; font-size: 12.5px; text-transform: uppercase;
  letter-spacing: .08em; color: var(--muted); }
table.figures { border-collapse: collapse; width: 100%; font-size: 14px; }
table.figures th, table.figures td { text-align: left; padding: 7px 10px;
  border-bottom: 1px solid var(--line); vertical-align: top; }
table.figures thead th { font-size: 12px; color: var(--muted); font-weight: 600;
  border-bottom: 2px solid var(--line); }
table.figures tbody tr:nth-child(even) { background: #fafbfc; }
table.figures code { font-size: 13px; color: var(--brand); }
td.old .printed { color: var(--removed); text-decoration: line-through;
  text-decoration-thickness: 1px; }
td.new .printed { color: var(--added); font-weight: 700; }
.raw { display: block; color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
td.delta { font-variant-numeric: tabular-nums; white-space: nowrap; color: var(--muted); }
td.source { color: var(--muted); font-size: 13px; }
.none { color: var(--quiet); font-style: italic; }
ul.words { list-style: none; margin: 0; padding: 0; }
ul.words li { padding: 6px 0; border-bottom: 1px dashed var(--line); }
.where { display: inline-block; min-width: 40px; color: var(--muted); font-size: 12.5px; }
del { background: var(--removed-bg); color: var(--removed); text-decoration: line-through;
  padding: 0 3px; border-radius: 3px; }
ins { background: var(--added-bg); color: var(--added); text-decoration: none;
  padding: 0 3px; border-radius: 3px; font-weight: 600; }
figure.pair { margin: 6px 0 20px; }
figure.pair figcaption { color: var(--muted); font-size: 13.5px; margin-bottom: 8px; }
figure.pair figcaption b { color: var(--ink); }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.side .label { margin: 0 0 4px; font-size: 12px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .08em; color: var(--muted); }
.side img, .strip img { width: 100%; height: auto; display: block; border: 1px solid var(--line);
  border-radius: 4px; box-shadow: 0 2px 8px rgba(16,24,40,.08); background: #fff; }
.side.empty { display: flex; flex-direction: column; }
.side.empty p:last-child { flex: 1; display: flex; align-items: center; justify-content: center;
  border: 2px dashed var(--line); border-radius: 4px; color: var(--quiet); min-height: 200px; }
.strip { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 14px;
  margin-top: 12px; }
details.quiet { background: var(--quiet-bg); border-radius: 12px; padding: 10px 18px;
  color: var(--quiet); }
details.quiet summary { cursor: pointer; font-weight: 600; }
details.quiet ul { margin: 8px 0 4px; columns: 2; }
.note { color: var(--muted); font-size: 13.5px; background: var(--quiet-bg);
  border-radius: 8px; padding: 8px 12px; }
footer { color: var(--muted); font-size: 12.5px; padding: 0 28px 30px; }
@media (max-width: 800px) { .sides { grid-template-columns: 1fr; } }
"""
