"""Rebuild lunar_reference_1990_2050.csv from an implementation independent of lunar-vn.

The source is the vnlunar package's copy of Hồ Ngọc Đức's precomputed year tables (TK20/TK21),
read by table lookup rather than by lunar-vn's new-moon arithmetic. Not run by the test suite:
run it once in a throwaway virtualenv, e.g.

    python -m venv /tmp/ref && /tmp/ref/bin/pip install vnlunar==1.0.5
    /tmp/ref/bin/python tests/controller/scheduling/data/make_reference_table.py > \
        tests/controller/scheduling/data/lunar_reference_1990_2050.csv
"""

import datetime as dt

from vnlunar.core import get_lunar_date_from_table

WANTED = {(1, 1): "tet", (10, 3): "gio_to"}


def main() -> None:
    found: dict[int, dict[str, dt.date]] = {}
    day = dt.date(1990, 1, 1)
    while day <= dt.date(2050, 12, 31):
        lunar = get_lunar_date_from_table(day.day, day.month, day.year)
        name = WANTED.get((lunar["day"], lunar["month"]))
        if name and not lunar["leap"] and 1990 <= lunar["year"] <= 2050:
            found.setdefault(lunar["year"], {})[name] = day
        day += dt.timedelta(days=1)
    print("# lunar_year,tet,gio_to  (source: vnlunar 1.0.5 table lookup, HND TK20/TK21)")
    print("lunar_year,tet,gio_to")
    for year in sorted(found):
        print(f"{year},{found[year]['tet']},{found[year]['gio_to']}")


if __name__ == "__main__":
    main()
