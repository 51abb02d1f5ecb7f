"""Capitals of States under Review, where the embassies that follow implementation sit.

Only the seat of embassies matters here (e.g. Beijing, not Hong Kong, for China); a state missing from the
table falls back to embassies whose name or city names the State-under-Review.
"""

from __future__ import annotations

SUR_CAPITALS = {
    "AFG": "Kabul", "ARE": "Abu Dhabi", "ARG": "Buenos Aires", "AUS": "Canberra", "BGD": "Dhaka",
    "BHR": "Manama", "BLR": "Minsk", "BRA": "Brasília", "CAN": "Ottawa", "CHE": "Bern", "CHN": "Beijing",
    "COD": "Kinshasa", "COL": "Bogotá", "CUB": "Havana", "DEU": "Berlin", "EGY": "Cairo", "ERI": "Asmara",
    "ESP": "Madrid", "ETH": "Addis Ababa", "FRA": "Paris", "GBR": "London", "IDN": "Jakarta",
    "IND": "New Delhi", "IRN": "Tehran", "IRQ": "Baghdad", "ITA": "Rome", "JPN": "Tokyo", "KAZ": "Astana",
    "KEN": "Nairobi", "KHM": "Phnom Penh", "KOR": "Seoul", "LAO": "Vientiane", "LKA": "Colombo",
    "MEX": "Mexico City", "MMR": "Naypyidaw", "MYS": "Kuala Lumpur", "NGA": "Abuja", "NIC": "Managua",
    "NLD": "The Hague", "PAK": "Islamabad", "PHL": "Manila", "PRK": "Pyongyang", "QAT": "Doha",
    "RUS": "Moscow", "RWA": "Kigali", "SAU": "Riyadh", "SDN": "Khartoum", "SGP": "Singapore",
    "SWE": "Stockholm", "SYR": "Damascus", "THA": "Bangkok", "TJK": "Dushanbe", "TKM": "Ashgabat",
    "TUR": "Ankara", "UGA": "Kampala", "UKR": "Kyiv", "USA": "Washington", "UZB": "Tashkent",
    "VEN": "Caracas", "VNM": "Hanoi", "YEM": "Sana'a", "ZAF": "Pretoria", "ZWE": "Harare",
}  # fmt: skip


def sur_capital(state_code: str) -> str | None:
    return SUR_CAPITALS.get(state_code)
