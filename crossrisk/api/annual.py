"""Annual plan and cooperation items over HTTP: a year's list, setting, editing, status."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.annual import (
    DESCRIPTION_MAX,
    ID_MAX,
    REASON_MAX,
    TITLE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    AnnualItem,
    ItemDraft,
    check_draft,
)
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import annual

router = APIRouter(prefix="/api/annual-items", tags=["committee"])

RegionQuery = Annotated[str, Query(min_length=1, max_length=32, description="the region's code")]


class AnnualItemOut(BaseModel):
    id: int
    region: str
    year: int
    kind: str = Field(description="plan (年度计划) or cooperation (合作事项)")
    title: str
    title_en: str | None
    description: str
    owner: str = Field(description="the owner organisation's code")
    due: date = Field(description="the due day, a Beijing calendar day")
    first_due: date = Field(description="the due day it was set with, before any deferral")
    status: str = Field(description="planned, in_progress, deferred, done or cancelled")
    shown: str = Field(description="the status as now: late when owed past its due day")
    serves_kind: str | None = Field(description="agreement, plan or none")
    serves_id: int | None
    serves_link: str | None
    reason: str | None = Field(description="why it was last deferred or cancelled")
    duty: int | None = Field(description="the duty that reminds its owner")
    done_at: datetime | None
    done_by: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime


def item_out(item: AnnualItem, now: datetime) -> AnnualItemOut:
    return AnnualItemOut(
        id=item.id or 0,
        region=item.region_code,
        year=item.year,
        kind=item.kind.value,
        title=item.title,
        title_en=item.title_en,
        description=item.description,
        owner=item.owner_code,
        due=item.due,
        first_due=item.first_due,
        status=item.status.value,
        shown=item.shown(now).value,
        serves_kind=None if item.serves_kind is None else item.serves_kind.value,
        serves_id=item.serves_id,
        serves_link=item.serves_link,
        reason=item.reason,
        duty=item.duty_id,
        done_at=item.done_at,
        done_by=item.done_by,
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


class AnnualItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    kind: str = Field(max_length=16, description="plan or cooperation")
    title: str = Field(max_length=TITLE_MAX)
    title_en: str | None = Field(default=None, max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    owner: str = Field(max_length=64, description="a member's bureau or a body of the region")
    due: date
    serves_kind: str | None = Field(default=None, max_length=16, description="agreement or plan")
    serves_id: int | None = Field(default=None, ge=1, le=ID_MAX)

    def draft(self) -> ItemDraft:
        return check_draft(
            year=self.year,
            kind=self.kind,
            title=self.title,
            title_en=self.title_en,
            description=self.description,
            owner_code=self.owner,
            due=self.due,
            serves_kind=self.serves_kind,
            serves_id=self.serves_id,
        )


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(
        max_length=16, description="in_progress, done (owner or committee); deferred, cancelled"
    )
    reason: str = Field(default="", max_length=REASON_MAX, description="for deferred, cancelled")
    new_due: date | None = Field(default=None, description="for deferred: the later due day")


@router.get("", response_model=list[AnnualItemOut])
def list_items(
    actor: ActorDep,
    uow: UowDep,
    region: RegionQuery,
    year: Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX)],
) -> list[AnnualItemOut]:
    """A region's items of one year, by due day."""
    now = utc_now()
    return [item_out(i, now) for i in annual.items_of_year(uow, actor, region, year)]


@router.post("", response_model=AnnualItemOut, status_code=201)
def add(body: AnnualItemIn, actor: ActorDep, uow: UowDep, region: RegionQuery) -> AnnualItemOut:
    """The committee sets an item; its owner gets a duty that reminds it."""
    now = utc_now()
    return item_out(annual.add_item(uow, actor, region, body.draft(), now=now), now)


@router.get("/{item_id}", response_model=AnnualItemOut)
def read(item_id: RowId, actor: ActorDep, uow: UowDep) -> AnnualItemOut:
    """One item."""
    return item_out(annual.get_item(uow, actor, item_id), utc_now())


@router.put("/{item_id}", response_model=AnnualItemOut)
def edit(item_id: RowId, body: AnnualItemIn, actor: ActorDep, uow: UowDep) -> AnnualItemOut:
    """The committee edits an owed item; its duty follows."""
    now = utc_now()
    return item_out(annual.edit_item(uow, actor, item_id, body.draft(), now=now), now)


@router.post("/{item_id}/status", response_model=AnnualItemOut)
def change_status(item_id: RowId, body: StatusIn, actor: ActorDep, uow: UowDep) -> AnnualItemOut:
    """Progress or done (the owner or the committee); deferred or cancelled (the committee)."""
    now = utc_now()
    change = annual.StatusChange(status=body.status, reason=body.reason, new_due=body.new_due)
    return item_out(annual.change_status(uow, actor, item_id, change, now=now), now)
