"""Codes and Chinese labels of hazard categories, levels, statuses and sources (SPEC.md §3)."""

CATEGORIES: dict[str, str] = {
    "security": "安保",
    "fire": "消防",
    "building": "校舍",
    "food": "饮食卫生",
    "health": "公共卫生与传染病",
    "traffic": "交通车辆",
    "dormitory": "宿舍",
    "lab": "实验室与危险化学品",
    "equipment": "仪器设备与特种设备",
    "event": "大型活动",
    "outing": "社会实践与校外活动",
    "utility": "水电气暖与锅炉",
    "surroundings": "校园周边",
    "disaster": "自然灾害",
    "other": "其他",
}

LEVELS: dict[str, str] = {
    "general": "一般隐患",
    "serious": "较大隐患",
    "major": "重大隐患",
}

STATUSES: dict[str, str] = {
    "open": "待整改",
    "rectifying": "整改中",
    "rectified": "已整改",
    "verified": "已复查销号",
    "escalated": "已上报",
}

SOURCES: dict[str, str] = {
    "daily": "日巡查",
    "weekly": "周检查",
    "monthly": "月排查",
    "special": "专项检查",
    "supervision": "督导检查",
    "other": "其他",
}
