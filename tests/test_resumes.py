"""Resumes (paste, PDF, DOCX) and resume match, scored by hand on a five-posting store.

Weights: idf = ln((N + 1) / (df + 1)) + 1 with N = 5 postings:
df 3 → ln(6/4) + 1 = 1.4055; df 1 → ln(6/2) + 1 = 2.0986.
"""

from __future__ import annotations

import io

import pytest

from tests.insights_store import posting, write
from tests.plans import pro
from tests.test_startup_imports import SERVE_ONE_REQUEST, run

RESUMES = "/api/v1/resumes"
CV = "Experienced Python developer. Built Django apps on AWS."


def five(conn):
    ids = {}
    ids["python"], _ = posting(conn, title="Python Developer",
                               description="We use Python, Django and PostgreSQL. Kubernetes a plus.")
    ids["analyst"], _ = posting(conn, title="Data Analyst", description="SQL and Python, Tableau dashboards.")
    ids["nurse"], _ = posting(conn, title="Registered Nurse", description="Patient care and triage.")
    ids["engineer"], _ = posting(conn, title="Python Engineer", description="Python and AWS.")
    ids["chef"], _ = posting(conn, title="Chef", description="Cook food.")
    return ids


@pytest.fixture
def jobs(app, client):
    pro(app)
    return write(client, five)


def add(client, text=CV, name="Main CV"):
    response = client.post(RESUMES, json={"name": name, "text": text})
    assert response.status_code == 201, response.text
    return response.json()


def test_match_one_job_term_by_term(client, jobs):
    resume = add(client)
    body = client.get(f"{RESUMES}/{resume['id']}/match/{jobs['python']}").json()
    assert body["postings"] == 5
    assert [(t["term"], t["kind"], t["df"], t["weight"]) for t in body["matched"]] == [
        ("Django", "skill", 1, 2.0986), ("developer", "title", 1, 2.0986), ("Python", "skill", 3, 1.4055)]
    assert [(t["term"], t["df"]) for t in body["missing"]] == [("Kubernetes", 1), ("PostgreSQL", 1)]
    # 100 × (1.4055 + 2 × 2.0986) / (1.4055 + 4 × 2.0986) = 100 × 5.6027 / 9.7999
    assert body["score"] == {"value": 57.2, "n": 5, "tooFew": False}


def test_matches_sorted_best_first(client, jobs):
    resume = add(client)
    page = client.get(f"{RESUMES}/{resume['id']}/matches").json()
    scores = [(item["title"], item["score"]["value"]) for item in page["items"]]
    # Engineer: (1.4055 + 2.0986) / (1.4055 + 2 × 2.0986) = 62.5 ("engineer" missing)
    # Analyst: 1.4055 / (1.4055 + 4 × 2.0986) = 14.3; the nurse shares nothing; the chef asks for
    # one term only (too few to score) and comes last.
    assert scores == [("Python Engineer", 62.5), ("Python Developer", 57.2), ("Data Analyst", 14.3),
                      ("Registered Nurse", 0.0), ("Chef", None)]
    assert page["items"][-1]["score"] == {"value": None, "n": 1, "tooFew": True}
    assert page["items"][1]["topMissing"] == ["Kubernetes", "PostgreSQL"]
    assert (page["scored"], page["capped"], page["nextOffset"]) == (5, False, None)
    narrowed = client.get(f"{RESUMES}/{resume['id']}/matches", params={"q": "python", "limit": 1}).json()
    assert [i["title"] for i in narrowed["items"]] == ["Python Engineer"] and narrowed["nextOffset"] == 1
    recent = client.get(f"{RESUMES}/{resume['id']}/matches", params={"sort": "recent"}).json()
    # Most recently seen first; all five were seen at once, so by id.
    assert [i["title"] for i in recent["items"]][:2] == ["Python Developer", "Data Analyst"]

def test_the_same_input_gives_the_same_score(client, jobs):
    resume = add(client)
    first = client.get(f"{RESUMES}/{resume['id']}/match/{jobs['engineer']}").json()
    again = client.get(f"{RESUMES}/{resume['id']}/match/{jobs['engineer']}").json()
    assert first == again and first["score"]["value"] == 62.5


def test_crud(client, jobs):
    resume = add(client)
    assert resume["source"] == "text" and resume["chars"] == len(CV)
    assert [r["name"] for r in client.get(RESUMES).json()] == ["Main CV"]
    changed = client.patch(f"{RESUMES}/{resume['id']}", json={"name": "Short CV", "text": "Nurse, triage"}).json()
    assert changed["name"] == "Short CV" and changed["text"] == "Nurse, triage"
    assert client.get(f"{RESUMES}/{resume['id']}").json()["text"] == "Nurse, triage"
    assert client.delete(f"{RESUMES}/{resume['id']}").status_code == 204
    assert client.get(f"{RESUMES}/{resume['id']}").status_code == 404
    assert client.delete(f"{RESUMES}/{resume['id']}").status_code == 404
    assert client.get(f"{RESUMES}/{resume['id']}/match/{jobs['python']}").status_code == 404


@pytest.mark.parametrize("body", [{"name": "x"}, {"name": "", "text": "t"}, {"name": "x", "text": "   "},
                                  {"name": "x", "text": "t", "extra": 1}, {"name": "x" * 201, "text": "t"}])
def test_bad_resumes_are_400s(client, jobs, body):
    response = client.post(RESUMES, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"]


def test_matching_a_missing_job_or_with_bad_paging(client, jobs):
    resume = add(client)
    assert client.get(f"{RESUMES}/{resume['id']}/match/999999").status_code == 404
    assert client.get(f"{RESUMES}/{resume['id']}/matches", params={"limit": 500}).status_code == 400
    assert client.get(f"{RESUMES}/{resume['id']}/matches", params={"sort": "salary"}).status_code == 400
    assert client.get(f"{RESUMES}/424242/matches").status_code == 404


def _pdf(text: str) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Skills", "Kubernetes"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_upload_a_pdf(client, jobs):
    response = client.post(f"{RESUMES}/upload", files={"file": ("cv.pdf", _pdf(CV), "application/pdf")},
                           data={"name": "PDF CV"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["name"], body["source"], body["filename"]) == ("PDF CV", "pdf", "cv.pdf")
    assert "Python developer" in body["text"]
    score = client.get(f"{RESUMES}/{body['id']}/match/{jobs['python']}").json()["score"]["value"]
    assert score == 57.2  # the same text, the same score


def test_upload_a_docx(client, jobs):
    response = client.post(f"{RESUMES}/upload", files={"file": (
        "cv.docx", _docx(CV), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["name"], body["source"]) == ("cv", "docx")
    assert "Django" in body["text"] and "Skills | Kubernetes" in body["text"]
    match = client.get(f"{RESUMES}/{body['id']}/match/{jobs['python']}").json()
    assert [t["term"] for t in match["missing"]] == ["PostgreSQL"]  # the table gave Kubernetes


@pytest.mark.parametrize("name, data, kind", [("cv.pdf", b"%PDF-1.4 broken", "application/pdf"),
                                              ("cv.docx", b"PK\x03\x04 not a zip", "application/octet-stream"),
                                              ("cv.exe", b"\x00\x01", "application/octet-stream"),
                                              ("cv.pdf", None, "application/pdf")])
def test_bad_uploads_are_400s(client, jobs, name, data, kind):
    data = _pdf("") if data is None else data  # a PDF with no text, like a scan
    response = client.post(f"{RESUMES}/upload", files={"file": (name, data, kind)})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "bad_file"
    assert client.post(f"{RESUMES}/upload", data={"name": "no file"}).status_code == 400


def test_gating(client, app):
    write(client, five)
    refused = [client.post(RESUMES, json={"name": "x", "text": "y"}),
               client.post(f"{RESUMES}/upload", files={"file": ("cv.txt", b"Python", "text/plain")}),
               client.get(f"{RESUMES}/1/match/1"), client.get(f"{RESUMES}/1/matches"),
               client.patch(f"{RESUMES}/1", json={"name": "z"})]
    for response in refused:
        assert response.status_code == 402, response.text
        assert response.json()["error"]["details"]["entitlement"] == "resume.match"
    pro(app)
    resume = add(client)
    app.state.entitlements.attach(lambda: __import__("server.entitlements").entitlements.FREE)
    # A lapsed license never locks the user's data: reading and deleting stay open.
    assert client.get(RESUMES).status_code == 200
    assert client.get(f"{RESUMES}/{resume['id']}").status_code == 200
    assert client.delete(f"{RESUMES}/{resume['id']}").status_code == 204


def test_the_document_readers_are_not_imported_at_start(tmp_path):
    report = run(SERVE_ONE_REQUEST, tmp_path / "home")
    assert report["statuses"] == [200, 200, 200]
    assert not {m.split(".")[0] for m in report["modules"]} & {"pypdf", "docx", "lxml"}
