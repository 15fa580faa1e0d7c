#!/usr/bin/env bash
# The demo year's exports as printed pages: the CLI writes the workbook and the Word
# documents, LibreOffice prints them to PDF (A4, as each says), pdftoppm makes PNGs into
# docs/screenshots/: the 汇总 page, the first 按工作室 page and the first two pages of
# 活动明细; the year report's first two pages; a member's record's first page.
# Look at them: the whole paragraph, a title on each sheet, the header row on every page of
# the records, no column cut off at the right edge; the documents' margins and title.
set -euo pipefail
cli=${1:?usage: export-pages.sh path/to/lvzhi}
out=$(cd "$(dirname "$0")/../.." && pwd)/docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" --db "$work/demo.db" demo >/dev/null
"$cli" --db "$work/demo.db" export --year 2024 --out "$work/2024.xlsx" >/dev/null
"$cli" --db "$work/demo.db" report --year 2024 --out "$work/report.docx" >/dev/null
"$cli" --db "$work/demo.db" member-record --year 2024 --member 15001 --out "$work/record.docx" >/dev/null
# A profile of its own, so a LibreOffice the user has open is neither used nor disturbed.
soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf \
  --outdir "$work" "$work/2024.xlsx" "$work/report.docx" "$work/record.docx" >/dev/null
pages=$(pdfinfo "$work/2024.pdf" | awk '/^Pages:/ {print $2}')
# The first page of each sheet names it in its title.
first() { for p in $(seq 1 "$pages"); do
  title=$(pdftotext -f "$p" -l "$p" "$work/2024.pdf" - | sed -n 1p)
  [[ $title == *"$1"* ]] && { echo "$p"; return; }; done; echo "no page titled $1" >&2; exit 1; }
render() { pdftoppm -r "$3" -f "$2" -l "$2" -png -singlefile "$work/2024.pdf" "$out/$1"; }
render export-summary "$(first '·汇总')" 80
render export-by-studio "$(first '·按工作室')" 80
records=$(first '·活动明细')
render export-records-1 "$records" 110
render export-records-2 "$((records + 1))" 110
pdftoppm -r 70 -f 1 -l 2 -png "$work/report.pdf" "$out/report"
pdftoppm -r 70 -f 1 -l 1 -png -singlefile "$work/record.pdf" "$out/member-record"
echo "$pages pages of the workbook; PNGs in $out (export-*.png, report-*.png, member-record.png)"
