# ruff: noqa: E501  (sample data: long quoted recommendations read better unbroken)
"""Rebuild the sample export files: ``python tests/samples/recommendations/build.py``.

The samples reproduce the column layouts of the databases people export from (UPR Info, UHRI, OHCHR's
thematic matrix), in the encodings Excel writes, with real recommendations made to China in 2018 (A/HRC/40/6)
and wordings in the style of 2024. Bad inputs sit beside them, one per case the importer must refuse.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHN3 = [
    # number, text, recommending states, response, action category, issues
    (
        "28.338",
        "Guarantee the full exercise of the freedoms of association and expression of human rights "
        "defenders and minorities, in accordance with international human rights law",
        "Costa Rica",
        "Supported",
        "4 - General action",
        "Human rights defenders; Freedom of association",
    ),
    (
        "28.336",
        "Cease the harassment and extraterritorial abduction of human rights defenders and their family "
        "members, cease house arrest and travel restrictions for people based on their rights defence work, and "
        "release those imprisoned for such work, including Tashi Wangchuk, Ilham Tohti, Huang Qi and Wang "
        "Quanzhang",
        "United States of America",
        "Noted",
        "5 - Specific action",
        "Human rights defenders",
    ),
    (
        "28.221",
        "Continue to promote openness of the judicial system and fully use the four major platforms for "
        "the openness of the approval process, trial procedure, judgment documents and information on the "
        "execution of judgments",
        "Kyrgyzstan",
        "Supported",
        "2 - Continuing action",
        "Justice",
    ),
    (
        "28.164",
        "Take steps to establish a moratorium on the death penalty, while guaranteeing that those who "
        "may be subjected to this penalty are entitled to adequate legal representation and to a fair trial",
        "Brazil",
        "Noted",
        "4 - General action",
        "Death penalty",
    ),
    (
        "28.180",
        "End all unlawful detention, including the unconstitutional mass detention of Uighurs and other "
        "Muslims in Xinjiang, and residential surveillance at a designated location",
        "Germany",
        "Noted",
        "5 - Specific action",
        "Detention; Minorities",
    ),
    (
        "28.205",
        "Guarantee freedom of expression, assembly and association including in Hong Kong, and remove "
        "obstacles to freedom of information on the Internet, in particular for human rights defenders",
        "France",
        "Noted",
        "4 - General action",
        "Freedom of expression; Hong Kong",
    ),
    (
        "28.201",
        "Remove restrictions on freedom of expression and press freedom, including on the Internet, "
        "that are not in accordance with international law",
        "Sweden",
        "Noted",
        "5 - Specific action",
        "Freedom of expression",
    ),
    (
        "28.1",
        "Consider ratifying the International Covenant on Civil and Political Rights, as previously "
        "recommended,\nand bring national legislation in line with it",
        "Czech Republic; Iran (Islamic Republic of); Türkiye",
        "Supported",
        "3 - Considering action",
        "International instruments",
    ),
    (
        "28.2",
        "Ratify the International Covenant on Civil and Political Rights by 2020",
        "Turkey; Côte d'Ivoire",
        "Noted",
        "5 - Specific action",
        "International instruments",
    ),
    (
        "28.60",
        "Share its experience in poverty alleviation with other developing countries",
        "Bolivia (Plurinational State of)",
        "Supported",
        "1 - Minimal action",
        "Development",
    ),
    (
        "28.90",
        "Publish data disaggregated by sex on women in decision-making and set targets within two years",
        "United Kingdom of Great Britain and Northern Ireland; Republic of Moldova; State of Palestine",
        "Supported",
        "",
        "Women's rights",
    ),
]
CHN4 = [
    # paragraph, text, recommending states, position, themes, affected persons
    (
        "161.1",
        "Ratify the International Covenant on Civil and Political Rights",
        "Sweden",
        "Noted",
        "Acceptance of international norms",
        "general",
    ),
    (
        "161.25",
        "Remove restrictions on freedom of expression and press freedom, including on the Internet, "
        "that are not in accordance with international law, as previously recommended",
        "Sweden",
        "Noted",
        "Freedom of opinion and expression",
        "media; human rights defenders",
    ),
    (
        "161.40",
        "Continue to advance the protection of the rights of women and girls",
        "Viet Nam",
        "Supported",
        "Women's rights",
        "women; girls",
    ),
    (
        "161.72",
        "Release all persons arbitrarily detained in Xinjiang and Tibet within one year",
        "Iceland; Norway",
        "Does not enjoy the support",
        "Liberty and security",
        "Uyghurs; Tibetans",
    ),
    (
        "161.80",
        "Consider abolishing the death penalty",
        "Republic of Korea",
        "Partially supported",
        "Death penalty",
        "",
    ),
]
MATRIX_CHN3 = [
    (
        "28.201 Remove restrictions on freedom of expression and press freedom, including on the Internet, "
        "that are not in accordance with international law (Sweden);",
        "Noted\nSource of position: A/HRC/40/6/Add.1",
        "D43 Freedom of opinion and expression\nAffected persons:\n- media\n- human rights defenders",
        "",
    ),
    (
        "28.1 Consider ratifying the International Covenant on Civil and Political Rights, as previously "
        "recommended (Czechia, Iran (Islamic Republic of));",
        "Supported\nSource of position: A/HRC/40/6/Add.1",
        "A12 Acceptance of international norms\nAffected persons:\n- general",
        "",
    ),
    (
        "28.164 Take steps to establish a moratorium on the death penalty, while guaranteeing that those who may "
        "be subjected to this penalty are entitled to adequate legal representation and to a fair trial (Brazil);",
        "Noted\nSource of position: A/HRC/40/6/Add.1",
        "D23 Death penalty\nAffected persons:\n- persons deprived of their liberty",
        "",
    ),
]
MATRIX_HEADER = [
    "Recommendation",
    "Position",
    "Full list of themes",
    "Assessment/comments on level of implementation",
]
UPR_INFO_HEADER = [
    "Recommendation",
    "Paragraph",
    "Recommending State",
    "State under Review",
    "Session",
    "Cycle",
    "Response",
    "Action Category",
    "Issues",
]
UHRI_HEADER = [
    "Paragraph",
    "Text",
    "Document symbol",
    "Countries",
    "Recommending States",
    "Position",
    "Themes",
    "Affected persons",
    "Year",
]


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def upr_info_rows(data: list[tuple[str, ...]], session: str, cycle: str) -> list[list[str]]:
    return [
        [text, number, states, "China", session, cycle, response, category, issues]
        for number, text, states, response, category, issues in data
    ]


def main() -> None:
    chn3 = upr_info_rows(CHN3, "31", "3")
    (HERE / "upr-info-chn3.csv").write_text(_csv_text(UPR_INFO_HEADER, chn3), encoding="utf-8", newline="")
    (HERE / "upr-info-chn3-cp1252.csv").write_bytes(_csv_text(UPR_INFO_HEADER, chn3).encode("cp1252"))
    (HERE / "upr-info-chn3-utf16.csv").write_text(
        _csv_text(UPR_INFO_HEADER, chn3, "\t"), encoding="utf-16", newline=""
    )
    uhri = [[p, t, "A/HRC/56/6", "China", s, pos, th, ap, "2024"] for p, t, s, pos, th, ap in CHN4]
    (HERE / "uhri-chn4.csv").write_text(_csv_text(UHRI_HEADER, uhri), encoding="utf-8-sig", newline="")
    mapped = [[number, text, states, response] for number, text, states, response, _c, _i in CHN3[:4]]
    (HERE / "generic-mapped.csv").write_text(
        _csv_text(["Rec no", "Recommendation text", "From", "Government position"], mapped), encoding="utf-8"
    )

    from docx import Document
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(UPR_INFO_HEADER)
    for row in chn3:
        sheet.append(row)
    workbook.save(HERE / "upr-info-chn3.xlsx")
    data = (HERE / "upr-info-chn3.xlsx").read_bytes()
    (HERE / "bad-truncated.xlsx").write_bytes(data[: len(data) // 2])

    matrix = Workbook()
    sheet = matrix.active
    sheet.append(["UPR of China (3rd Cycle - 31st session) - Thematic list of recommendations"])
    sheet.append(MATRIX_HEADER)
    for row in MATRIX_CHN3:
        sheet.append(list(row))
    matrix.save(HERE / "matrix-chn3.xlsx")

    document = Document()
    document.add_heading("UPR of China (3rd Cycle - 31st session) - Thematic list of recommendations", 1)
    for chunk in (MATRIX_CHN3[:2], MATRIX_CHN3[2:]):
        table = document.add_table(rows=1, cols=4)
        for cell, title in zip(table.rows[0].cells, MATRIX_HEADER, strict=True):
            cell.text = title
        for row in chunk:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
    document.save(HERE / "matrix-chn3.docx")

    bad = {
        "bad-empty.csv": "",
        "bad-header.csv": "Name,Email,Phone\r\nA,a@example.org,1\r\n",
        "bad-formula.csv": _csv_text(
            UPR_INFO_HEADER,
            [
                chn3[0],
                ['=HYPERLINK("http://evil.example")', "28.2", "Sweden", "China", "31", "3", "Noted", "", ""],
            ],
        ),
        "bad-unknown-state.csv": _csv_text(
            UPR_INFO_HEADER, [chn3[0], [*chn3[1][:2], "Swedden", *chn3[1][3:]]]
        ),
        "bad-duplicate-number.csv": _csv_text(
            UPR_INFO_HEADER, [chn3[0], [chn3[1][0], chn3[0][1], *chn3[1][2:]]]
        ),
        "bad-response.csv": _csv_text(
            UPR_INFO_HEADER, [chn3[0], [*chn3[1][:6], "Maybe later", *chn3[1][7:]]]
        ),
    }
    for name, text in bad.items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
    mixed = _csv_text(UPR_INFO_HEADER, chn3[:8]).encode("utf-8") + _csv_text(UPR_INFO_HEADER, chn3[8:]).split(
        "\r\n", 1
    )[1].encode("cp1252")
    (HERE / "bad-mixed-encoding.csv").write_bytes(mixed)
    with zipfile.ZipFile(HERE / "bad-zip.csv", "w") as archive:
        archive.writestr("notes.txt", "not a table")
    (HERE / "bad-binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


if __name__ == "__main__":
    main()
