"""A built-in skills vocabulary and the one text → terms extractor.

Text is lower-cased, a few symbol-bearing names are spelled out ("c++" →
"cplusplus", ".net" → "dotnet", "node.js" → "nodejs"), then split into
words of letters and digits (as the full-text index splits them). A
vocabulary skill is found when any of its aliases occurs as whole words.
Deterministic and offline: the same text always gives the same terms.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["SKILLS", "Skill", "Extracted", "extract", "words", "STOPWORDS", "tokens", "names_a_skill"]

# Label|alias|alias...  (aliases in extractor spelling: lower case, words only)
_VOCABULARY = """
Python|python
Java|java
JavaScript|javascript|js
TypeScript|typescript
Go|golang|go developer|go engineer|go services
Rust|rust
C|c programming|c language|embedded c
C++|cplusplus
C#|csharp
.NET|dotnet|asp dotnet
F#|fsharp
Ruby|ruby|ruby on rails|rails
PHP|php
Swift|swift|swiftui
Kotlin|kotlin
Scala|scala
R|r programming|r language|rstudio|python or r
SQL|sql
PostgreSQL|postgresql|postgres
MySQL|mysql
SQLite|sqlite
MongoDB|mongodb|mongo
Redis|redis
Elasticsearch|elasticsearch|opensearch
Kafka|kafka
Spark|spark|pyspark
Hadoop|hadoop
Airflow|airflow
dbt|dbt
Snowflake|snowflake
BigQuery|bigquery
Redshift|redshift
Databricks|databricks
Tableau|tableau
Looker|looker
Power BI|power bi|powerbi
pandas|pandas
NumPy|numpy
scikit-learn|scikit learn|sklearn
TensorFlow|tensorflow
PyTorch|pytorch
Machine learning|machine learning|ml engineer
Deep learning|deep learning
NLP|nlp|natural language processing
LLM|llm|llms|large language models
Computer vision|computer vision
Statistics|statistics|statistical
A/B testing|a b testing|ab testing|a b tests|experiment design
Data modelling|data modelling|data modeling
ETL|etl|elt
React|react|reactjs
Angular|angular
Vue|vue|vuejs
Node.js|nodejs|node js
Next.js|nextjs
HTML|html
CSS|css|tailwind
GraphQL|graphql
REST|rest api|rest apis|restful
gRPC|grpc
Django|django
Flask|flask
FastAPI|fastapi
Spring|spring boot|spring framework
Microservices|microservices
AWS|aws|amazon web services
GCP|gcp|google cloud
Azure|azure
Kubernetes|kubernetes|k8s
Docker|docker
Terraform|terraform
Ansible|ansible
Linux|linux
Git|git|github|gitlab|version control
CI/CD|ci cd|continuous integration|github actions|jenkins
Observability|observability|prometheus|grafana|datadog
On-call|on call
Testing|unit testing|test automation|testing
Security|security|cybersecurity|infosec
iOS|ios
Android|android
Data structures|data structures|algorithms
System design|system design|distributed systems
Agile|agile|scrum|kanban
Jira|jira
Confluence|confluence
Figma|figma
Sketch|sketch app
Adobe Illustrator|adobe illustrator|illustrator
Photoshop|photoshop
Prototyping|prototyping|prototypes
User research|user research|usability testing|usability tests
Design systems|design systems|design system
Accessibility|accessibility|wcag
Interaction design|interaction design
Roadmapping|roadmapping|roadmap
Stakeholder management|stakeholder management
OKRs|okrs|okr
Product discovery|product discovery
Excel|excel|spreadsheets
NetSuite|netsuite
SAP|sap
QuickBooks|quickbooks
Xero|xero
IFRS|ifrs
US GAAP|us gaap|gaap
CPA|cpa
ACCA|acca
Reconciliation|reconciliation|reconciliations
Financial modelling|financial modelling|financial modeling
Budgeting|budgeting|budgets|forecasts
Audit|audit|auditing
Tax|tax
Accounts payable|accounts payable
Accounts receivable|accounts receivable
SEO|seo
SEM|sem|google ads|paid search
Google Analytics|google analytics
HubSpot|hubspot
Salesforce|salesforce
Zendesk|zendesk
Copywriting|copywriting
Paid social|paid social
Email marketing|email marketing|lifecycle marketing
Content strategy|content strategy|content marketing
Canva|canva
Social media|social media
Negotiation|negotiation
Prospecting|prospecting|lead generation
Account management|account management
Customer success|customer success
CRM|crm
Customer service|customer service
Product demos|product demos|demos
Workday|workday
BambooHR|bamboohr
Recruiting|recruiting|recruitment|talent acquisition
Onboarding|onboarding
Employee relations|employee relations
Payroll|payroll
Scheduling|scheduling|schedules
WMS|wms|warehouse management
Forecasting|forecasting
Inventory control|inventory control|inventory
Lean|lean|six sigma
Forklift|forklift
Supply chain|supply chain|logistics
Patient care|patient care
BLS|bls
ACLS|acls
Epic EHR|epic ehr|ehr
Medication administration|medication administration|administer medications
Triage|triage
Infection control|infection control
Care planning|care planning
Nursing|nursing|registered nurse|rn
Lesson planning|lesson planning|lesson plans
Classroom management|classroom management
TEFL|tefl
CELTA|celta
Curriculum design|curriculum design|curriculum
Assessment|assessment
Food safety|food safety
Espresso|espresso|barista
POS|pos system|pos systems|point of sale
Electrical systems|electrical systems|electrical
Troubleshooting|troubleshooting
OSHA|osha
PLC|plc
HVAC|hvac
Preventive maintenance|preventive maintenance
Communication|communication|written communication
Leadership|leadership|mentoring|people management
Project management|project management|pmp
English|english
Mandarin|mandarin|chinese
Japanese|japanese
"""

# Symbol-bearing names spelled as words before splitting.
_SPELLED = (("c++", " cplusplus "), ("c#", " csharp "), ("f#", " fsharp "), ("asp.net", " asp dotnet "),
            (".net", " dotnet "), ("node.js", " nodejs "), ("next.js", " nextjs "), ("vue.js", " vuejs "),
            ("react.js", " reactjs "), ("ci/cd", " ci cd "), ("a/b", " a b "))
_WORD = re.compile(r"[^\W_]+")

STOPWORDS = frozenset("""a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either etc few for from further had has
    have having he her here hers him his how i if in into is it its itself just least less let like made make many
    may me might more most much must my no nor not now of off on once only or other our ours out over own per
    plus please same she should so some such than that the their theirs them then there these they this those
    through to too under until up upon us very via was we well were what when where which while who whom why will
    with within without would yes yet you your yours across able ability along among around based day days every
    get give go good great help including join looking new one part role team time two us using way work working
    year years experience strong skills job jobs apply candidate candidates company position opportunity""".split())


class Skill(NamedTuple):
    label: str
    aliases: tuple[tuple[str, ...], ...]   # each alias as a word sequence


def _load() -> tuple[Skill, ...]:
    skills = []
    for line in _VOCABULARY.strip().splitlines():
        label, *aliases = line.split("|")
        skills.append(Skill(label, tuple(tuple(a.split()) for a in aliases)))
    return tuple(skills)


SKILLS = _load()
# One-word aliases → skill; longer aliases checked only when their first word is present.
_SINGLE: dict[str, str] = {}
_PHRASES: dict[str, list[tuple[str, str]]] = {}
for _skill in SKILLS:
    for _alias in _skill.aliases:
        if len(_alias) == 1:
            _SINGLE.setdefault(_alias[0], _skill.label)
        else:
            _PHRASES.setdefault(_alias[0], []).append((" " + " ".join(_alias) + " ", _skill.label))


# ASCII bytes other than letters and digits become spaces; UTF-8 sequences pass through.
_SPLIT = bytes(c if (48 <= c <= 57 or 97 <= c <= 122 or c >= 128) else 32 for c in range(256))


def tokens(text: str) -> list[str]:
    """Words of letters and digits, lower case (a byte table, then a regex only for non-ASCII words)."""
    text = text.lower()
    for symbol, spelled in _SPELLED:
        if symbol in text:
            text = text.replace(symbol, spelled)
    parts = text.encode().translate(_SPLIT).decode().split()
    if not text.isascii():
        parts = [w for p in parts for w in ((p,) if p.isascii() else _WORD.findall(p))]
    return parts


class Extracted(NamedTuple):
    skills: frozenset[str]       # vocabulary labels
    words: frozenset[str]        # every word, for distinctive terms and resume matching


def extract(text: str) -> Extracted:
    found = tokens(text)
    present = set(found)
    labels = {_SINGLE[w] for w in present & _SINGLE.keys()}
    starts = present & _PHRASES.keys()
    if starts:
        joined = " " + " ".join(found) + " "
        for start in starts:
            for phrase, label in _PHRASES[start]:
                if label not in labels and phrase in joined:
                    labels.add(label)
    return Extracted(frozenset(labels), frozenset(present))


def words(text: str) -> list[str]:
    """Content words in order: no stopwords, no numbers, at least two letters."""
    return [w for w in tokens(text) if len(w) > 1 and not w.isdigit() and w not in STOPWORDS]


def names_a_skill(word: str) -> bool:
    """Whether one word alone is a vocabulary alias ("python", "sql")."""
    return word in _SINGLE
