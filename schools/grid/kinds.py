"""Codes of grid-cell kinds and key areas (SPEC §2): translated labels for pages, Chinese names for documents."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "building": _l("Building"),
    "floor": _l("Floor"),
    "room": _l("Room"),
    "class": _l("Class cell"),
    "department": _l("Department cell"),
    "outdoor": _l("Outdoor cell"),
    "time": _l("Time-axis cell"),
}

# The names the source plans use; the responsibility chart and the import speak them.
KIND_NAMES = {
    "building": "楼栋",
    "floor": "楼层",
    "room": "房间",
    "class": "班级网格",
    "department": "部室网格",
    "outdoor": "室外网格",
    "time": "时间轴网格",
}

KEY_AREA_LABELS = {
    "lab": _l("Laboratory"),
    "canteen": _l("Canteen"),
    "dormitory": _l("Dormitory"),
    "boiler_room": _l("Boiler room"),
    "power_room": _l("Power distribution room"),
    "fire_control_room": _l("Fire control room"),
    "chemical_store": _l("Hazardous-chemical store"),
    "other": _l("Other key area"),
}

KEY_AREA_NAMES = {
    "lab": "实验室",
    "canteen": "食堂",
    "dormitory": "宿舍",
    "boiler_room": "锅炉房",
    "power_room": "配电房",
    "fire_control_room": "消防控制室",
    "chemical_store": "危化品库",
    "other": "其他",
}
