"""Write the bundled example reports with ``to_json``.

``chengguan-2020.json`` is the real 2020 report of 城关镇 (郧阳区, 2019 template) typed in
by hand: its numbers exactly as published, its prose sections summarized in our words.
``example-2021.json`` is a report of our own making on the 2021 template, marked as an
example, with numbers in every table whose totals add up.

Run: ``python examples/make_examples.py``
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs

from disclosure_schema import (
    AppealRow,
    Appeals,
    ApplicantRow,
    DecisionRow2021,
    ExtraRow,
    FeeAmountRow2021,
    FeeItemRow2019,
    ItemRow2019,
    Meta,
    NotProcessed,
    OtherProcessing2021,
    Outcomes2019,
    Outcomes2021,
    Proactive2019,
    Proactive2021,
    ProcurementRow2019,
    Prose,
    ProsePart,
    PublicationRow2019,
    PublicationRow2021,
    Report2019,
    Report2021,
    Requests2019,
    Requests2021,
    Unavailable,
    Withheld,
    WrittenValue,
    to_json,
)

HERE = Path(__file__).parent


def applicants(
    natural: int,
    commercial: int = 0,
    research: int = 0,
    welfare: int = 0,
    legal: int = 0,
    other: int = 0,
) -> ApplicantRow:
    """A row of table 三 whose total is the sum of its six columns."""
    return ApplicantRow(
        natural_person=natural,
        commercial_enterprise=commercial,
        research_institution=research,
        social_welfare_organization=welfare,
        legal_service_organization=legal,
        other_organization=other,
        total=natural + commercial + research + welfare + legal + other,
    )


def appeal(upheld: int, corrected: int, other: int, pending: int) -> AppealRow:
    return AppealRow(
        upheld=upheld,
        corrected=corrected,
        other=other,
        pending=pending,
        total=upheld + corrected + other + pending,
    )


ZERO = applicants(0)
ZERO_ITEMS = ItemRow2019(previous_items=0, change=0, decisions=0)
ZERO_PUBLICATIONS = PublicationRow2019(produced=0, published=0, total_published=0)


def _fields(cls: type) -> list[str]:
    return [field.name for field in attrs.fields(cls)]


def chengguan_2020() -> Report2019:
    return Report2019(
        meta=Meta(
            issuer="郧阳区城关镇人民政府",
            year=2020,
            title="城关镇2020年政府信息公开工作年度报告",
            contact="城关镇党政办（地址：城关镇小石桥巷3号，邮编：442500，电话：0719-7232725）",
            region="湖北省十堰市郧阳区",
        ),
        overview=Prose(
            paragraphs=("（摘要）2020年本镇政府信息公开工作在上级指导下稳步推进。",),
            parts=(
                ProsePart(
                    heading="（一）主动公开",
                    paragraphs=(
                        "（摘要）全年主动公开信息203条，其中政府网站147条，公开栏和工作群等渠道56条。",
                    ),
                ),
                ProsePart(
                    heading="（二）依申请公开",
                    paragraphs=("（摘要）全年未收到政府信息公开申请。",),
                ),
                ProsePart(
                    heading="（三）政府信息管理",
                    paragraphs=("（摘要）由党政办统一管理发布，加强审核、媒体联动和业务培训。",),
                ),
                ProsePart(
                    heading="（四）平台建设",
                    paragraphs=(
                        "（摘要）依托区政府网站、政务服务系统和国家政务服务平台小程序公开信息。",
                    ),
                ),
                ProsePart(
                    heading="（五）监督保障",
                    paragraphs=("（摘要）完善组织领导、保密审查和长效管理机制。",),
                ),
            ),
        ),
        proactive=Proactive2019(
            regulations=ZERO_PUBLICATIONS,
            normative_documents=ZERO_PUBLICATIONS,
            licensing=ZERO_ITEMS,
            other_services=ItemRow2019(previous_items=213, change=6, decisions=12253),
            penalties=ZERO_ITEMS,
            enforcement=ZERO_ITEMS,
            fees=FeeItemRow2019(previous_items=0, change=0),
            procurement=ProcurementRow2019(projects=0, amount=Decimal("0")),
            extra_rows=(
                ExtraRow(
                    item=1,
                    label="其他主动公开文件",
                    values=(35, 35, 35),
                    as_written=("35", "35", "35"),
                ),
            ),
        ),
        requests=Requests2019(
            received=ZERO,
            carried_over=ZERO,
            outcomes=Outcomes2019(
                disclosed=ZERO,
                partially_disclosed=ZERO,
                withheld=Withheld(**dict.fromkeys(_fields(Withheld), ZERO)),
                unavailable=Unavailable(**dict.fromkeys(_fields(Unavailable), ZERO)),
                not_processed=NotProcessed(**dict.fromkeys(_fields(NotProcessed), ZERO)),
                other=ZERO,
                total=ZERO,
            ),
            carried_forward=ZERO,
        ),
        appeals=Appeals(
            review=appeal(0, 0, 0, 0),
            litigation_direct=appeal(0, 0, 0, 0),
            litigation_after_review=appeal(0, 0, 0, 0),
        ),
        problems=Prose(
            paragraphs=("（摘要）存在信息员队伍不稳定、发布审核不严、考核问责偏弱等问题。",),
            parts=(
                ProsePart(
                    heading="改进措施",
                    paragraphs=("（摘要）从队伍建设、宣传、培训、信息质量和公开渠道五方面改进。",),
                ),
            ),
        ),
        other_matters=Prose(paragraphs=("（摘要）无其他需要报告的事项。",)),
        as_written=(WrittenValue(key="proactive.other_services.change", text="+6"),),
    )


def example_2021() -> Report2021:
    return Report2021(
        meta=Meta(
            issuer="示例县示例局（示例数据，非真实机关）",
            year=2023,
            title="示例县示例局2023年政府信息公开工作年度报告（示例）",
            region="示例省示例市示例县",
        ),
        overview=Prose(
            paragraphs=("本报告为 disclosure_schema 自编示例，机关名称与数字均为虚构。",)
        ),
        proactive=Proactive2021(
            regulations=PublicationRow2021(issued=1, repealed=0, in_force=5),
            normative_documents=PublicationRow2021(issued=4, repealed=2, in_force=23),
            licensing=DecisionRow2021(decisions=1320),
            penalties=DecisionRow2021(decisions=86),
            enforcement=DecisionRow2021(decisions=12),
            fees=FeeAmountRow2021(amount=Decimal("9.63211")),
        ),
        requests=Requests2021(
            received=applicants(40, 6, 1, 1, 2, 2),
            carried_over=applicants(3, 1),
            outcomes=Outcomes2021(
                disclosed=applicants(15, 3, 1, 0, 1, 1),
                partially_disclosed=applicants(5, 1),
                withheld=Withheld(
                    state_secret=applicants(1),
                    prohibited_by_law=applicants(1),
                    security_stability=applicants(1),
                    third_party_rights=applicants(2, 1),
                    internal_affairs=applicants(1),
                    process_information=applicants(2),
                    enforcement_case_files=applicants(1),
                    administrative_inquiry=applicants(1),
                ),
                unavailable=Unavailable(
                    not_held=applicants(6, 1, 0, 1),
                    needs_creation=applicants(1),
                    still_unclear=applicants(1),
                ),
                not_processed=NotProcessed(
                    petition_or_complaint=applicants(1),
                    duplicate=applicants(1),
                    publication=ZERO,
                    excessive=ZERO,
                    confirmation=ZERO,
                ),
                other=OtherProcessing2021(
                    no_correction=applicants(1),
                    fee_unpaid=applicants(0, 0, 0, 0, 1),
                    other=applicants(0, 0, 0, 0, 0, 1),
                ),
                total=applicants(41, 6, 1, 1, 2, 2),
            ),
            carried_forward=applicants(2, 1),
        ),
        appeals=Appeals(
            review=appeal(2, 1, 0, 1),
            litigation_direct=appeal(1, 0, 0, 1),
            litigation_after_review=appeal(1, 0, 0, 0),
        ),
        problems=Prose(paragraphs=("（示例）此处说明存在的主要问题及改进情况。",)),
        other_matters=Prose(
            parts=(
                ProsePart(
                    heading="（一）收取信息处理费情况",
                    paragraphs=("（示例）本年度未收取信息处理费。",),
                ),
            )
        ),
    )


def main() -> None:
    (HERE / "chengguan-2020.json").write_text(to_json(chengguan_2020()), encoding="utf-8")
    (HERE / "example-2021.json").write_text(to_json(example_2021()), encoding="utf-8")


if __name__ == "__main__":
    main()
