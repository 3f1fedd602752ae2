"""All SQL of the diaspora registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.pagination import page_of
from diaspora.registry.models import (
    Compatriot,
    CompatriotSkill,
    Consultation,
    Expert,
    InvestmentProposal,
    Organisation,
    Participation,
    Programme,
)

Row = TypeVar("Row", Organisation, Compatriot, Expert, Programme, InvestmentProposal, Consultation)


def add(session: AsyncSession, row: Any) -> None:
    session.add(row)


async def get(session: AsyncSession, model: type[Row], row_id: str) -> Row | None:
    return await session.get(model, row_id)


async def get_for_update(session: AsyncSession, model: type[Row], row_id: str) -> Row | None:
    return (
        await session.execute(select(model).where(model.id == row_id).with_for_update())
    ).scalar_one_or_none()


async def skills_of(session: AsyncSession, compatriot_ids: Sequence[str]) -> dict[str, list[str]]:
    if not compatriot_ids:
        return {}
    result = await session.execute(
        select(CompatriotSkill.compatriot_id, CompatriotSkill.skill)
        .where(CompatriotSkill.compatriot_id.in_(compatriot_ids))
        .order_by(CompatriotSkill.skill)
    )
    skills: dict[str, list[str]] = {i: [] for i in compatriot_ids}
    for compatriot_id, skill in result.all():
        skills[compatriot_id].append(skill)
    return skills


async def erase_skills(session: AsyncSession, compatriot_id: str) -> None:
    await session.execute(
        delete(CompatriotSkill).where(CompatriotSkill.compatriot_id == compatriot_id)
    )


async def experts_of(session: AsyncSession, compatriot_id: str) -> list[Expert]:
    result = await session.execute(
        select(Expert).where(Expert.compatriot_id == compatriot_id, Expert.status == "active")
    )
    return list(result.scalars())


async def participants(session: AsyncSession, programme_id: str) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Participation)
            .where(Participation.programme_id == programme_id)
        )
        or 0
    )


async def participation(
    session: AsyncSession, programme_id: str, compatriot_id: str
) -> Participation | None:
    return await session.get(Participation, (programme_id, compatriot_id))


async def page(
    session: AsyncSession,
    statement: Select[Any],
    model: type[Row],
    *,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Row], str | None]:
    return await page_of(session, statement, model.id, limit=limit, cursor=cursor)


def organisations(country: str | None, kind: str | None) -> Select[Any]:
    statement = select(Organisation)
    if country:
        statement = statement.where(Organisation.country == country.upper())
    if kind:
        statement = statement.where(Organisation.kind == kind)
    return statement


def compatriot_search(country: str | None, skill: str | None) -> Select[Any]:
    """Only compatriots whose consent stands are ever found."""
    statement = select(Compatriot).where(Compatriot.status == "active")
    if country:
        statement = statement.where(Compatriot.country == country.upper())
    if skill:
        statement = statement.where(
            Compatriot.id.in_(
                select(CompatriotSkill.compatriot_id).where(
                    CompatriotSkill.skill == " ".join(skill.split()).lower()
                )
            )
        )
    return statement


def experts(field: str | None, country: str | None) -> Select[Any]:
    statement = select(Expert).where(Expert.status == "active")
    if field:
        statement = statement.where(Expert.field == field)
    if country:
        statement = statement.where(Expert.country == country.upper())
    return statement


def programmes(status: str | None, kind: str | None) -> Select[Any]:
    statement = select(Programme)
    if status:
        statement = statement.where(Programme.status == status)
    if kind:
        statement = statement.where(Programme.kind == kind)
    return statement


def proposals(status: str | None, sector: str | None) -> Select[Any]:
    statement = select(InvestmentProposal)
    if status:
        statement = statement.where(InvestmentProposal.status == status)
    if sector:
        statement = statement.where(InvestmentProposal.sector == sector)
    return statement


def consultations(status: str | None, topic: str | None) -> Select[Any]:
    statement = select(Consultation)
    if status:
        statement = statement.where(Consultation.status == status)
    if topic:
        statement = statement.where(Consultation.topic == topic)
    return statement
