"""Deterministic, jobspy-shaped job postings (standard library only).

    python -m server.sample.generate --sample     # rewrite jobs.json.gz (300 rows)

Rows are keyed by python-jobspy 1.4.1's 34 columns, JSON-native, filled per board as
jobspy fills them. Some rows repost a recent vacancy on another board: same title,
company and city, spelled that board's way, often with the same apply link.
"""

import base64
import gzip
import json
import random
import re
import sys
import unicodedata
from bisect import bisect
from collections import namedtuple
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, Iterator

from . import vocabulary as vocab

COLUMNS = vocab.COLUMNS
SAMPLE_PATH = Path(__file__).with_name("jobs.json.gz")
SAMPLE_ROWS, SAMPLE_MONTHS = 300, 3
END = date(2026, 11, 25)  # the newest date_posted: fixed, so a seed always yields the same rows
ANNUAL = {"yearly": 1, "monthly": 12, "weekly": 52, "daily": 260, "hourly": 2080}
PER = {"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}
HOSTILE_EVERY, HOSTILE_AT = 75, 37  # rows 37, 112, 187, 262, ... carry hostile markup
City = namedtuple("City", "name weight factor location spelled currency interval scale indeed glassdoor boards")
Company = namedtuple("Company", "n name suffix industry size rating hq families blurb slug")


@lru_cache(maxsize=None)
def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _picker(weights: dict[str, int]) -> Callable[[float], str]:
    """A weighted choice, given a uniform number in [0, 1)."""
    keys, cumulative = list(weights), list(accumulate(weights.values()))
    return lambda r: keys[bisect(cumulative, r * cumulative[-1])]


def _one(items: Any, r: float) -> Any:
    return items[int(r * len(items))]


def _some(items: list[str], r: float, k: int) -> list[str]:
    start = int(r * len(items))
    return [items[(start + j) % len(items)] for j in range(min(k, len(items)))]


def _mix(i: int, seed: int) -> int:
    """A bijection of 64-bit integers (splitmix64): distinct rows get distinct ids."""
    x = (i + 1 + seed * 0x632BE59BD9B4E019) * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


CITIES = {code: City(name, weight, factor, location, spelled, *vocab.COUNTRIES[country])
          for code, (name, weight, country, factor, location, spelled) in vocab.CITIES.items()}
INDUSTRIES = {key: (families.split(), labels) for key, families, *labels
              in (line.split("|") for line in vocab.INDUSTRIES.strip().splitlines())}
COMPANIES = [Company(n, name, suffix, industry, int(size), float(rating), hq,
                     INDUSTRIES[industry][0], blurb, _slug(name))
             for n, (name, suffix, industry, size, rating, hq, _, blurb)
             in enumerate(line.split("|") for line in vocab.COMPANIES.strip().splitlines())]
CITY_COMPANIES = {code: [company for company, line in zip(COMPANIES, vocab.COMPANIES.strip().splitlines())
                         if code in line.split("|")[6].split()] for code in CITIES}
FAMILIES = {name: (fn, teams.split(";"), area, duties.split(";"), needs.split(";"), skills.split(";"))
            for name, (fn, teams, area, duties, needs, skills) in vocab.FAMILIES.items()}
BENEFITS = {currency: text.split(";") for currency, text in vocab.BENEFITS.items()}
SIZES = {"indeed": vocab.SIZES, "glassdoor": [s.replace(",", "") + " Employees" for s in vocab.SIZES],
         "zip_recruiter": [s.replace(" to ", "-") + " employees" for s in vocab.SIZES],
         "bayt": [s.replace(" to ", "-").replace(",", "") + " Employees" for s in vocab.SIZES]}
PICK_CITY = _picker({code: city.weight for code, city in CITIES.items()})
PICK_BOARD = {code: _picker(city.boards) for code, city in CITIES.items()}


def _round(amount: float) -> float:
    """To the half unit under 100, else to two or three significant figures."""
    if amount < 100:
        return round(amount * 2) / 2
    step = 10 ** (len(str(int(amount))) - 2 - (amount >= 1_000_000))
    return float(round(amount / step) * step)


def _pay(r: Callable[[], float], code: str, family: str, base: int, unit: str) -> dict[str, Any]:
    """What the employer pays, in the city's currency and usual interval, and the job types."""
    city = CITIES[code]
    currency, interval = city.currency, city.interval
    contract = family in ("eng", "data", "product", "design") and r() < 0.12
    if unit == "w" and currency == "USD":
        interval = "weekly"
    elif unit == "d" and currency in ("USD", "GBP", "EUR") or contract and currency in ("GBP", "EUR"):
        interval = "daily"
    elif (unit == "h" or contract) and currency in ("USD", "GBP", "EUR"):
        interval = "hourly"
    elif code == "TPE" and family in ("eng", "data", "product") and r() < 0.2:
        interval = "yearly"  # an annual package, as Taiwanese tech postings often quote
    middle = base * 1000 * city.scale * city.factor * (0.85 + 0.3 * r()) / ANNUAL[interval]
    low, high, shape = _round(middle * 0.9), _round(middle * (1.12 + 0.25 * r())), r()
    if shape < 0.17:  # one figure: a fixed rate, "from ...", or "up to ..."
        low, high = (low, low) if shape < 0.10 else (low, None) if shape < 0.14 else (None, high)
    types = ["contract", "temporary"] if unit == "w" else ["contract"] if contract or unit == "d" else ["fulltime"]
    if unit == "h" and r() < 0.35:
        types = ["fulltime", "perdiem"] if family == "health" else ["parttime"]
    return {"interval": interval, "min": low, "max": high, "currency": currency, "types": types}


def _pay_text(pay: dict[str, Any]) -> str:
    sign = vocab.CURRENCY_SIGNS[pay["currency"]]
    low, high = (None if a is None else f"{sign}{a:,.2f}".replace(".00", "") for a in (pay["min"], pay["max"]))
    figure = (f"up to {high}" if low is None else f"from {low}" if high is None
              else low if low == high else f"{low} - {high}")
    return f"{figure} per {PER[pay['interval']]}"


def _description(job: dict[str, Any], plain: bool) -> str:
    """Markdown as jobspy's markdownify writes it, or Google's plain text."""
    style, company, family, picks = job["style"], job["company"], FAMILIES[job["family"]], job["picks"]
    def head(text: str) -> str:
        return text if plain else (f"**{text}**", f"{text}\n{'-' * len(text)}", f"### {text}")[style]
    def bullets(items: list[str]) -> str:
        return "\n".join(("• " if plain else "* ") + item for item in items)
    parts = [head(f"About {company.name}"), f"{company.name} {company.blurb}. {_one(vocab.INTROS, picks[0])}",
             head("The role"),
             f"We're hiring for the {job['title']} role on our {_one(family[1], picks[1])} team {job['where']}. "
             f"{_one(vocab.PITCHES, picks[2])}"]
    if job["hostile"] is not None:
        parts.append(vocab.HOSTILE[job["hostile"]])
    parts += [head("What you'll do"), bullets(_some(family[3], picks[3], 4)),
              head("What we're looking for"),
              bullets([f"{job['years']} of experience in {family[2]}", *_some(family[4], picks[4], 3)]),
              ("Skills: " if plain else "**Skills:** ") + ", ".join(job["skills"]),
              head("What we offer"), bullets(_some(BENEFITS[job["pay"]["currency"]], picks[5], 3))]
    if job["pay_in_text"]:
        parts.append(f"The pay for this role is {_pay_text(job['pay'])}, depending on experience.")
    if job["email"]:
        parts.append(f"To apply, send your CV and a short note to {job['email']}.")
    if picks[6] < 0.4:
        parts.append(vocab.EEO)
    return "\n\n".join(parts)


def _new_job(r: Callable[[], float], i: int, days: int, end: date, hostile: int | None) -> dict[str, Any]:
    """A vacancy, before any board shows it."""
    code = PICK_CITY(r())
    company = _one(CITY_COMPANIES[code], r())
    family = _one(company.families, r())
    title, level, base, unit = _one(vocab.ROLES[family], r())
    pay, city = _pay(r, code, family, base, unit), CITIES[code].name
    remote = code == "REM" or r() < 0.06
    ranged = pay["min"] is not None and pay["max"] is not None
    return {
        "code": code, "company": company, "family": family, "title": title, "level": level,
        "pay": pay, "remote": remote, "hostile": hostile, "end": end,
        "where": ("remotely from anywhere in the US" if city is None
                  else f"in {city} (remote-friendly)" if remote else f"in our {city} office"),
        "date": end - timedelta(days=int(days * r() ** 1.3)),
        "style": int(r() * 3), "picks": [r() for _ in range(7)],
        "skills": _some(FAMILIES[family][5], r(), 4 + int(r() * 3)), "years": vocab.LEVELS[level][1],
        # pay-transparency laws put the range in New York, California and Washington postings
        "pay_in_text": ranged and r() < (0.6 if code in ("NYC", "SF", "SEA", "REM") else 0.1),
        "email": (f"{_one(('careers', 'jobs', 'talent', 'recruiting'), r())}@{company.slug}.example.com"
                  if r() < 0.12 else None),
        "apply": f"https://careers.{company.slug}.example.com/jobs/{_mix(i, 1) % 900000 + 100000}",
        "boards": set(), "direct": False, "text": {},
    }


def _facts(row: dict[str, Any], board: str, company: Any, r: Callable[[], float]) -> None:
    """The company fields each board fills, worded its way."""
    if r() < vocab.LOGO.get(board, 0):
        row["company_logo"] = f"https://logos.example.com/{board}/{company.slug}.png"
    chance, label, wanted = vocab.FACTS[board]
    if r() >= chance:
        return
    size, rating = company.size, company.rating
    if board == "zip_recruiter":  # rated out of 10 there; jobspy halves it
        rating = round(round(rating * 2 + r() - 0.5, 1) / 2, 2)
    elif board != "glassdoor":
        rating = round(min(5.0, rating + 0.3 * r() - 0.15), 1)
    known = {"industry": INDUSTRIES[company.industry][1][label], "rating": rating,
             "description": f"{company.name} {company.blurb}.", "addresses": company.hq,
             "url_direct": f"https://{company.slug}.example.com",
             "num_employees": SIZES.get(board, vocab.SIZES)[size],
             "revenue": vocab.REVENUES[size],
             "reviews_count": int(12 * 2.6 ** size * (0.5 + r()))}
    row.update(("company_" + fact, known[fact]) for fact in wanted.split())
    if board == "glassdoor":
        row["listing_type"] = "sponsored" if r() < 0.2 else "standard"


def _salary(row: dict[str, Any], job: dict[str, Any], board: str, r: Callable[[], float]) -> None:
    """The pay a board shows, if any: the employer's figures, or Glassdoor's estimate."""
    pay = job["pay"]
    if board == "linkedin" and job["pay_in_text"] and pay["currency"] == "USD":
        shown, source = r() < 0.7, "description"  # jobspy reads the range out of the text
    else:
        shown, source = r() < vocab.PAY_SHOWN[board], "direct_data"
    if not shown or board == "linkedin" and pay["interval"] in ("weekly", "daily"):
        return  # LinkedIn's pay reads /yr, /mo or /hr only
    low, high, interval = pay["min"], pay["max"], pay["interval"]
    if board == "glassdoor":  # p10/p90 of its own estimate, yearly, monthly or hourly
        if interval in ("weekly", "daily"):
            low, high, interval = (low or high) * ANNUAL[interval], (high or low) * ANNUAL[interval], "yearly"
        low, high = round((low or high) * (0.9 + 0.08 * r()), 2), round((high or low) * (1 + 0.1 * r()), 2)
    elif source == "description":  # and guesses the interval from the size of the figures
        interval = "hourly" if low < 350 else "monthly" if low < 30000 else "yearly"
    row.update(salary_source=source, interval=interval, min_amount=low, max_amount=high, currency=pay["currency"])
    if board == "indeed":
        types = ", ".join(vocab.JOB_TYPES[t] for t in pay["types"])
        row["description"] += f"\n\nJob Type: {types}\n\nPay: {_pay_text(pay)}"


def _post(job: dict[str, Any], board: str, r: Callable[[], float], i: int, seed: int,
          repost: bool) -> dict[str, Any]:
    """One board's row for a vacancy."""
    company, code, city, types = job["company"], job["code"], CITIES[job["code"]], job["pay"]["types"]
    title = job["title"].title() if repost and r() < 0.2 else job["title"]
    if board == "linkedin" and code == "REM":
        title += " (Remote)"  # jobspy marks LinkedIn rows remote by that word
    name = company.name
    if company.suffix and board != "linkedin" and r() < 0.3:
        name += f", {company.suffix}" if r() < 0.5 else f" {company.suffix}"
    posted = min(job["date"] + timedelta(days=int(r() * 5)), job["end"]) if repost else job["date"]
    row = dict.fromkeys(COLUMNS)
    row.update(site=board, title=title, company=name, location=city.spelled.get(board, city.location),
               date_posted=posted.isoformat(), is_remote=job["remote"], emails=job["email"])
    h, serial = _mix(i, seed), (i * 7919 + seed * 104729) % 10**9
    fields = {"hex": f"{h:016x}", "li": 4_000_000_000 + serial, "gd": 1_009_000_000_000 + serial,
              "bayt": 5_000_000 + serial % 10**6, "nk": f"{posted:%d%m%y}{serial % 10**6:06d}",
              "key": base64.urlsafe_b64encode((h << 64 | _mix(h, seed)).to_bytes(16, "big")).decode()[:22],
              "jid": f"{h >> 8:014x}", "slug": company.slug, "Slug": company.slug.title(),
              "title": _slug(job["title"]), "Title": _slug(job["title"]).title(), "apply": job["apply"],
              "place": row["location"].rsplit(", ", 1)[0].replace(", ", ",").replace(" ", "-"),
              "indeed": city.indeed, "glassdoor": city.glassdoor, "employer": _mix(company.n, 0) % 900000}
    row["id"], row["job_url"], row["company_url"] = (t and t.format(**fields) for t in vocab.URLS[board])
    plain = board == "google"
    if plain not in job["text"]:  # a vacancy's text is written once per style
        job["text"][plain] = _description(job, plain)
    row["description"] = job["text"][plain]
    _salary(row, job, board, r)
    if board != "google" and (board != "glassdoor" or r() < 0.7):
        row["job_type"] = types[0] if board in ("linkedin", "bayt") else ", ".join(types)
    if board in vocab.DIRECT_LINK and r() < (0.9 if job["direct"] else vocab.DIRECT_LINK[board]):
        tracking = "" if r() < 0.6 else f"?utm_source={board}&utm_medium=job_board"
        row["job_url_direct"], job["direct"] = job["apply"] + tracking, True
    level = vocab.LEVELS[job["level"]]
    if board == "linkedin":
        row.update(job_level=level[0], job_function=FAMILIES[job["family"]][0])
    elif board == "naukri":
        row.update(job_function=FAMILIES[job["family"]][0], skills=", ".join(job["skills"]),
                   experience_range=level[2], vacancy_count=1 + int(r() ** 3 * 6),
                   work_from_home_type="Remote" if job["remote"] else "Hybrid" if r() < 0.4 else "Work from office")
    elif board == "bayt":
        row.update(job_level="mid career" if job["level"] in ("mid", "senior") else "entry level",
                   experience_range=level[2].replace("Yrs", "Years"), vacancy_count=1 + int(r() ** 3 * 6))
    _facts(row, board, company, r)
    job["boards"].add(board)
    return row


# Teams and requisition numbers make vacancies distinct in benchmark-sized
# stores; without them the small vocabulary repeats title+company+city.
TEAMS = ("Payments", "Platform", "Growth", "Search", "Data", "Mobile", "Security", "Billing",
         "Core", "Infrastructure", "Retail", "Enterprise", "Partnerships", "Operations", "Research",
         "Customer", "Logistics", "Risk", "Brand", "Analytics")


def generate(n: int, seed: int = 7, *, duplicate_share: float = 0.1, months: int = 12,
             end: date = END, distinct: bool = False) -> Iterator[dict[str, Any]]:
    """n jobspy-shaped rows posted over `months` months up to `end`; about
    `duplicate_share` of them repost a recent vacancy on another board.
    `distinct` gives each new vacancy a team and requisition number."""
    r = random.Random(seed).random
    days, recent = max(1, months * 30), []
    for i in range(n):
        hostile = (i // HOSTILE_EVERY) % len(vocab.HOSTILE) if i % HOSTILE_EVERY == HOSTILE_AT else None
        while hostile is None and recent and r() < duplicate_share:  # repost a recent vacancy...
            slot = int(r() * len(recent))
            job = recent[slot]
            boards = [b for b in CITIES[job["code"]].boards if b not in job["boards"]
                      and not (b == "linkedin" and job["code"] == "REM")]
            if job["direct"] and r() < 0.5:  # employers cross-post to boards that keep their apply link
                boards = [b for b in boards if b in vocab.DIRECT_LINK] or boards
            if boards and len(job["boards"]) < 3:
                yield _post(job, _one(boards, r()), r, i, seed, repost=True)
                break
            recent.pop(slot)  # on every board it will reach: try another
        else:  # ...or post a new one
            job = _new_job(r, i, days, end, hostile)
            if distinct:
                job["title"] = f"{job['title']}, {_one(TEAMS, r())} (R{_mix(i, 2) % 90000 + 10000})"
            row = _post(job, PICK_BOARD[job["code"]](r()), r, i, seed, repost=False)
            if hostile is None:
                recent = [*recent[-39:], job]
            yield row


def write(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    """Rows as a gzipped JSON list; byte-identical for the same rows."""
    data = list(rows)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    return len(data)


def main(argv: list[str]) -> int:
    if argv != ["--sample"]:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    count = write(SAMPLE_PATH, generate(SAMPLE_ROWS, months=SAMPLE_MONTHS))
    print(f"wrote {count} rows to {SAMPLE_PATH.name} ({SAMPLE_PATH.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
