"""Search through the API: GET /api/v1/search?q=… (the website's /recherche, as JSON)."""

from __future__ import annotations

from flask import request

from consultation.api import bp, schemas
from consultation.api.input import page_limit
from consultation.core.urls import external_url
from consultation.search import services


@bp.get("/search")
def search():
    page = services.search(
        request.args.get("q", ""),
        consultation=request.args.get("consultation") or None,
        status=request.args.get("status") or None,
        kind=request.args.get("kind") or None,
        cursor=request.args.get("cursor") or None,
        limit=page_limit(services.PAGE_SIZE),
    )
    return schemas.respond(
        schemas.SearchPage,
        {
            "query": page.query,
            "total": page.total,
            "total_capped": page.total_capped,
            "results": [_result(result) for result in page.results],
            "next_cursor": page.next_cursor,
        },
    )


def _result(result: services.Result) -> dict:
    if result.is_consultation:
        url = external_url("consultations.show", slug=result.consultation_slug)
    else:
        url = external_url(
            "participation.contribution",
            slug=result.consultation_slug,
            contribution_id=result.contribution_id,
        )
    return {
        "kind": result.kind,
        "consultation": {
            "slug": result.consultation_slug,
            "title": result.consultation_title,
            "status": result.consultation_status.value,
        },
        "contribution_id": result.contribution_id,
        "title": result.title.striptags() if result.title else "",
        "title_html": str(result.title),
        "extract": result.extract.striptags(),
        "extract_html": str(result.extract),
        "url": url,
        "title_match": result.title_match,
    }
