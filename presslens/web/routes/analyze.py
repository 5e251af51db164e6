"""/analyze: paste a text or upload files to analyze (and store); POST /api/analyze gives the record of one text or HTML page."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.datastructures import UploadFile

from presslens.errors import BadInputError, UsageError
from presslens.ingest.raw import Quarantined
from presslens.ingest.sanitize import strip_controls
from presslens.record.models import ArticleRecord
from presslens.web.analysis import PASTED, Analysis, analysis, is_batch, with_meta
from presslens.web.jobs import JobState, JobStatus
from presslens.web.pages import TEMPLATES, page

router = APIRouter()

Bench = Annotated[Analysis, Depends(analysis)]
META_FIELDS = ("title", "url", "outlet", "author", "published")
FORMATS = ["text", "html", "jsonl"]
MAX_NAME = 200


def same_origin(request: Request) -> None:
    """Refuse a write sent from another site's page: a browser names the page's origin on every POST.

    Raises:
        UsageError: PL228 when the Origin header names another host than the one asked.
    """
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise UsageError("PL228")


class AnalyzeRequest(BaseModel):
    """One article to analyze: ``text`` (plain text, or HTML, which is sniffed as by `presslens analyze`) or ``html``, with metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="the article as text (HTML is recognised and extracted)")
    html: str | None = Field(None, description="the article's HTML page")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or time")
    store: bool = Field(False, description="also store the record (then served at /api/articles/{id})")

    @model_validator(mode="after")
    def _one_content(self) -> AnalyzeRequest:
        """Either text or html, not both."""
        if self.text is not None and self.html is not None:
            raise ValueError("give text or html, not both")
        return self

    def meta(self) -> dict[str, str]:
        """The metadata given."""
        return {name: value for name in META_FIELDS if (value := getattr(self, name))}


class JobLink(BaseModel):
    """A recent batch job, for the list on the form."""

    id: str
    state: JobState
    inputs: int
    stored: int
    quarantined: int


class AnalyzeForm(BaseModel):
    """What the analyze form accepts, and the recent batch jobs."""

    formats: list[str]
    max_body_bytes: int = Field(description="largest request (all files together), [web] max_body_bytes")
    max_bytes: int = Field(description="largest input file, [ingest] max_bytes")
    jobs: list[JobLink]


@page(router, "/analyze", "analyze.html")
def analyze_form(bench: Bench) -> AnalyzeForm:
    """The form: paste a text or upload text, HTML or JSON Lines files; the recent batch jobs."""
    jobs = [job.status() for job in bench.jobs.recent()]
    return AnalyzeForm(
        formats=FORMATS,
        max_body_bytes=bench.settings.web.max_body_bytes,
        max_bytes=bench.settings.ingest.max_bytes,
        jobs=[JobLink(id=j.id, state=j.state, inputs=j.inputs, stored=len(j.stored), quarantined=len(j.quarantined)) for j in jobs],
    )


@page(router, "/analyze/jobs/{job_id}", "analyze_job.html")
def analyze_job(job_id: str, bench: Bench) -> JobStatus:
    """A batch job: its progress, then the articles it stored and the inputs it quarantined with their reasons."""
    return bench.jobs.get(job_id).status()


@router.post("/analyze", name="analyze_submit", include_in_schema=False, response_class=HTMLResponse, dependencies=[Depends(same_origin)])
async def analyze_submit(request: Request, bench: Bench) -> Response:
    """The form sent: one input opens as its article page (stored, or shown unstored); several, or JSON Lines, run as a job."""
    async with request.form(max_part_size=bench.settings.web.max_body_bytes) as form:
        text = form.get("text")
        inputs = [(PASTED, text.encode("utf-8", "replace"))] if isinstance(text, str) and text.strip() else []
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
        inputs += [(_source(f.filename, n), await f.read()) for n, f in enumerate(uploads, 1)]
        meta = {name: value.strip() for name in META_FIELDS if isinstance(value := form.get(name), str) and value.strip()}
        store = form.get("store") == "true"
    if not inputs:
        raise BadInputError("PL101")
    if is_batch(inputs):
        job = await run_in_threadpool(bench.batch, inputs)
        return RedirectResponse(request.url_for("analyze_job", job_id=job.id), status_code=303)
    record = await run_in_threadpool(_single, bench, *inputs[0], meta, store)
    if store:
        return RedirectResponse(request.url_for("article", article_id=record.id), status_code=303)
    return TEMPLATES.TemplateResponse(request, "article.html", {"page": record})


@router.post("/api/analyze", response_model=ArticleRecord, name="api_analyze", dependencies=[Depends(same_origin)])
def api_analyze(body: AnalyzeRequest, bench: Bench) -> ArticleRecord:
    """The record of one article, the same that `presslens.analyze` gives; stored too with ``"store": true``.

    Errors are coded: PL107 without text or html, PL101 empty, PL102 binary, PL104 too large,
    PL108 not English, PL109 too short, PL112 too long, PL223 over the request size limit.
    """
    if body.text is not None:
        raw = bench.text(body.text, None, body.meta())
    elif body.html is not None:
        raw = bench.text(body.html, "html", body.meta())
    else:
        raise BadInputError("PL107")
    record = bench.one(raw)
    if body.store:
        bench.store(record)
    return record


def _single(bench: Analysis, source: str, data: bytes, meta: dict[str, str], store: bool) -> ArticleRecord:
    """Analyze one pasted text or uploaded file with the form's metadata, and store it when asked.

    Raises:
        BadInputError: with the input's code when it cannot be analyzed (PL101, PL102, PL104, PL108, ...).
    """
    item = next(bench.read(source, data))
    if isinstance(item, Quarantined):
        raise BadInputError.from_reason(item.code, item.reason)
    record = bench.one(with_meta(item, meta))
    if store:
        bench.store(record)
    return record


def _source(filename: str | None, number: int) -> str:
    """An uploaded file's source name: its base name as sent (no folders), or ``upload-N``."""
    name = strip_controls(re.split(r"[\\/]", filename or "")[-1]).strip()[:MAX_NAME]
    return name or f"upload-{number}"
