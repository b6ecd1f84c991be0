"""Demo data of incidents (安全事故/突发事件): a year of what happens in a county's schools.

Mostly minor injuries at play and in PE, one food poisoning at a kindergarten (a responsibility
accident, the assessment's veto), one traffic accident on the way home, a near-drowning on a
weekend, a kitchen fire put out at once, chickenpox cases, a wall collapsed by a rainstorm. A
few were reported later than one hour; most have follow-ups and closing reports; the two most
recent are still open (one of them late, so its incident_late flag shows on the flag board).
"""

import random
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import func, select

from bureau.demo.district import person_name
from schools.incidents.models import Incident
from schools.incidents.operations import add_report, report_incident
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_timezone, tenant_today


class Later(NamedTuple):
    """A follow-up or the closing report, `after` the first report."""

    after: timedelta
    kind: str
    text: str
    updates: dict


class DemoIncident(NamedTuple):
    school: str
    days_ago: int
    at: time  # local time it happened
    lag: int  # minutes until the first report
    facts: dict
    later: tuple[Later, ...] = ()


H, D = timedelta(hours=1), timedelta(days=1)


def _close(after: timedelta, text: str, **updates) -> Later:
    return Later(after, "closing", text, updates)


def _follow(after: timedelta, text: str, **updates) -> Later:
    return Later(after, "follow_up", text, updates)


def _injury(place: str, summary: str, measures: str, minor: int = 1, **facts) -> dict:
    return {
        "kind": "injury",
        "place": place,
        "summary": summary,
        "measures": measures,
        "minor_injuries": minor,
    } | facts


INCIDENTS: tuple[DemoIncident, ...] = (
    DemoIncident(
        "CG-YX",
        340,
        time(10, 5),
        25,
        _injury(
            "操场", "大课间活动时一名三年级学生跑步摔倒，右膝擦伤出血。", "校医现场消毒包扎，已通知家长。"
        ),
        (_close(D, "学生伤口愈合良好，已正常上课。已在全校重申课间活动安全要求。"),),
    ),
    DemoIncident(
        "QS-SYZX",
        318,
        time(15, 20),
        40,
        _injury(
            "篮球场",
            "体育课篮球练习中一名初二学生左手无名指挫伤。",
            "冰敷处理后由班主任陪同到县人民医院拍片。",
        ),
        (
            _follow(3 * H, "拍片结果为软组织挫伤，无骨折。"),
            _close(4 * D, "学生已康复，体育组已对课前热身进行规范。"),
        ),
    ),
    DemoIncident(
        "LL-ZXYEY",
        296,
        time(12, 40),
        35,
        {
            "kind": "food_poisoning",
            "severity": "larger",
            "place": "幼儿园食堂",
            "summary": "午餐后约1小时，中班、大班共17名幼儿陆续出现呕吐、腹痛症状，其中2名幼儿伴有发热。",
            "measures": "立即停止供餐，封存当日留样和剩余食品，17名幼儿送柳林镇卫生院，报告县疾控中心和市场监管所。",
            "serious_injuries": 2,
            "minor_injuries": 15,
        },
        (
            _follow(2 * H, "县疾控中心已到场采样流调；2名发热幼儿转县人民医院观察，其余15名幼儿症状缓解。"),
            _follow(
                D, "15名幼儿已离院回家，2名幼儿仍在观察，生命体征平稳。初步判断为食用未煮熟的四季豆引起。"
            ),
            _close(
                12 * D,
                "经县疾控中心检测确认为四季豆皂素中毒。食堂加工不当，认定为责任事故；食堂负责人停职，"
                "园长作书面检查，全县开展学校食堂食品安全专项整治。",
                is_responsibility_accident=True,
            ),
        ),
    ),
    DemoIncident(
        "HK-ZXXX",
        270,
        time(9, 50),
        30,
        _injury(
            "教学楼二楼走廊",
            "课间两名学生追逐打闹，一名学生额头撞到门框，轻微擦伤。",
            "校医处理伤口，班主任对两名学生进行安全教育。",
        ),
        (_close(2 * H, "伤势轻微，已通知家长，学生继续上课。"),),
    ),
    DemoIncident(
        "HK-CZ",
        251,
        time(17, 25),
        95,
        {
            "kind": "traffic",
            "severity": "general",
            "place": "河口镇渡头村路口（放学途中）",
            "summary": "一名初三学生放学途中骑电动自行车与农用三轮车相撞，右小腿骨折。",
            "measures": "班主任赶到现场，联系120送县人民医院，报告河口派出所交警中队。",
            "serious_injuries": 1,
        },
        (
            _follow(5 * H, "学生已手术，生命体征平稳。交警部门正在认定事故责任。"),
            _close(
                20 * D,
                "交警认定三轮车驾驶人负主要责任。学校再次开展交通安全教育，禁止未满16周岁学生骑电动车上学。",
            ),
        ),
    ),
    DemoIncident(
        "QS-YZ",
        233,
        time(11, 10),
        15,
        {
            "kind": "fire",
            "severity": "general",
            "place": "学生食堂后厨",
            "summary": "炒锅油温过高起火，引燃排烟罩油污，厨师用灭火毯和灭火器在2分钟内扑灭，无人员伤亡。",
            "measures": "切断燃气总阀，疏散食堂就餐学生，检查排烟管道。",
        },
        (_close(3 * D, "已请专业公司清洗排烟管道，后厨增配灭火毯两块，开展食堂员工消防培训。"),),
    ),
    DemoIncident(
        "BS-CZ",
        205,
        time(16, 0),
        190,
        {
            "kind": "drowning",
            "severity": "general",
            "place": "白沙镇港头村沙河河段",
            "summary": "周六下午一名初一学生与同伴私自到河边游泳，溺水后被附近村民救起，送白沙镇卫生院。",
            "measures": "学校接报后校长、班主任赶到卫生院，联系家长，报告白沙镇政府和派出所。",
            "serious_injuries": 1,
        },
        (
            _follow(6 * H, "学生已脱离危险，留院观察。"),
            _close(5 * D, "学生已康复返校。学校召开防溺水专题家长会，联合村委会在河段增设警示牌。"),
        ),
    ),
    DemoIncident(
        "SQ-JYZ",
        180,
        time(8, 30),
        50,
        {
            "kind": "infectious_disease",
            "severity": "general",
            "place": "四年级（2）班",
            "summary": "一周内四年级（2）班累计出现5例水痘病例。",
            "minor_injuries": 5,
            "measures": "患病学生居家隔离，教室每日消毒通风，晨午检加密，报告县疾控中心。",
        },
        (
            _follow(7 * D, "无新增病例，已隔离学生恢复良好。"),
            _close(21 * D, "连续21天无新增病例，疫情结束，患病学生凭复课证明返校。"),
        ),
    ),
    DemoIncident(
        "CG-ZXYEY",
        160,
        time(14, 35),
        20,
        _injury(
            "小班午睡室",
            "午睡起床时一名幼儿从床上跌落，左手臂擦伤。",
            "保健医生处理伤口，园长向家长说明情况。",
        ),
        (_close(D, "幼儿无不适，家长表示理解。午睡室床铺加装护栏。"),),
    ),
    DemoIncident(
        "LQ-CZ",
        141,
        time(12, 15),
        45,
        {
            "kind": "violence_bullying",
            "severity": "general",
            "place": "男生宿舍",
            "summary": "两名初二学生因琐事在宿舍发生肢体冲突，一名学生面部软组织挫伤。",
            "minor_injuries": 1,
            "measures": "宿管员制止并报告政教处，校医处理伤情，通知双方家长。",
        },
        (
            _follow(D, "学校学生欺凌治理委员会已调查，认定为一般冲突，不构成欺凌。"),
            _close(5 * D, "双方家长达成谅解，学校对两名学生进行批评教育，加强宿舍巡查。"),
        ),
    ),
    DemoIncident(
        "TY-LKXX",
        120,
        time(4, 20),
        55,
        {
            "kind": "natural_disaster",
            "severity": "general",
            "place": "学校东侧围墙",
            "summary": "凌晨强降雨导致学校东侧围墙约12米坍塌，事发在夜间，无人员伤亡。",
            "measures": "设置警戒线，当日学生从西门进出，报告桃源乡政府和县教育局。",
        },
        (
            _follow(8 * H, "乡政府已组织施工队清理现场，临时围挡已搭建。"),
            _close(30 * D, "围墙已重建并加设排水沟，经验收合格。"),
        ),
    ),
    DemoIncident(
        "CG-EX",
        98,
        time(16, 45),
        30,
        _injury(
            "学校大门", "放学排队出校门时一名一年级学生被挤倒，膝盖擦伤。", "值班教师扶起学生，校医处理伤口。"
        ),
        (_close(3 * H, "已通知家长。学校调整放学路线，分年级错峰离校。"),),
    ),
    DemoIncident(
        "QS-EZ",
        84,
        time(10, 40),
        45,
        _injury(
            "化学实验室", "化学实验课上一名高一学生被酒精灯火焰烫伤右手食指。", "立即冷水冲洗，校医涂烫伤膏。"
        ),
        (_close(D, "轻度烫伤，已愈合。实验室重新张贴操作规程，实验前强调安全事项。"),),
    ),
    DemoIncident(
        "LL-ZXXX",
        66,
        time(9, 15),
        85,
        _injury(
            "教学楼楼梯",
            "上午第二节课后一名五年级学生下楼梯时踩空，右脚踝扭伤。",
            "校医冰敷固定，班主任陪同到柳林镇卫生院检查。",
        ),
        (
            _follow(4 * H, "检查为踝关节扭伤，无骨折，需休息一周。"),
            _close(9 * D, "学生已康复返校。楼梯口增设课间值守教师。"),
        ),
    ),
    DemoIncident(
        "QS-ZJ",
        47,
        time(14, 5),
        35,
        _injury(
            "数控实训车间",
            "实训课上一名学生操作车床时被铁屑划伤左手掌。",
            "实训教师立即停机，校医清创包扎后送县人民医院缝合3针。",
        ),
        (_close(2 * D, "学生已返校。实训车间重申必须佩戴防护手套和护目镜。"),),
    ),
    DemoIncident(
        "BS-ZXXX",
        33,
        time(11, 50),
        25,
        _injury(
            "操场单杠区",
            "体育课上一名六年级学生做单杠练习时脱手跌落，左前臂骨折。",
            "体育教师现场固定，联系120送白沙镇卫生院，后转县人民医院。",
            minor=0,
            serious_injuries=1,
        ),
        (
            _follow(6 * H, "学生已完成复位手术，情况稳定。"),
            _close(15 * D, "学生已返校。体育组对器械练习的保护与帮助进行专题教研。"),
        ),
    ),
    DemoIncident(
        "SQ-XZXX",
        19,
        time(15, 30),
        50,
        _injury("学校车棚", "放学时一名学生推车被倒下的自行车砸伤右脚背。", "校医处理后通知家长接回。"),
        (_close(D, "轻微软组织挫伤，无大碍。车棚重新划线分区停放。"),),
    ),
    DemoIncident(
        "HK-DTXX",
        7,
        time(21, 40),
        80,
        _injury(
            "学生宿舍洗漱间",
            "晚间洗漱时一名五年级寄宿生滑倒，后脑着地，短暂头晕。",
            "宿管员报告值班领导，送河口镇卫生院检查。",
        ),
        (_follow(3 * H, "CT检查未见异常，留院观察一晚。"),),
    ),
    DemoIncident(
        "TY-JYZ",
        2,
        time(10, 10),
        20,
        _injury("操场", "大课间跳绳活动中一名二年级学生摔倒，下巴擦伤。", "校医消毒处理，已通知家长。"),
    ),
)


def load_demo_incidents() -> int:
    """Fill the demo district's incidents (skipped when the demo already has some); return how many."""
    if db.session.scalar(select(func.count()).select_from(Incident)):
        return 0
    schools = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
    tz, today = tenant_timezone(), tenant_today()
    rng = random.Random("demo-incidents")
    for demo in INCIDENTS:
        school = schools.get(demo.school)
        if school is None:
            continue
        occurred = datetime.combine(today - timedelta(days=demo.days_ago), demo.at, tz).astimezone(UTC)
        reported = occurred + timedelta(minutes=demo.lag, seconds=rng.randrange(60))
        incident = report_incident(school, {"occurred_at": occurred, **demo.facts}, now=reported)
        author = f"{person_name(rng)}（安全员）"
        incident.reports[0].author_name = author
        for later in demo.later:
            when = reported + later.after
            if when > datetime.now(UTC):
                continue
            step = add_report(incident, later.kind, {"text": later.text, **later.updates}, now=when)
            step.author_name = author
    db.session.flush()
    return len(INCIDENTS)
