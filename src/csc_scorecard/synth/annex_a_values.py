"""Coded values of the synthetic Annex A workbook: each DfE code as the lettered
text Ofsted's lists carry ("a) Male", "q) 6: Police"), and which code list of
returns/annex_a/spec/annex_a.yml reads each table back (CODE_LISTS).
"""

from __future__ import annotations

# Every coded value carries its DfE code (or is a description that stands for
# exactly one code), in the forms csc_scorecard.returns.annex_a reads: never one
# of Ofsted's older group values ("a) Foster Placement", "d) Returned home ...",
# "c) Other") that cover several codes and so cannot be read back.  Letters are
# the ones returns/annex_a/spec/annex_a.yml gives; tests/synth/test_synth_ingest.py
# reads every value below back through that spec and checks it gives its code.
GENDER = {"M": "a) Male", "F": "b) Female"}
_ETH_ORDER = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "NOBT",
    "REFU",
)
ETHNICITY = {c: f"{'abcdefghijklmnopqrst'[i]}) {c}" for i, c in enumerate(_ETH_ORDER)}
SOURCE = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    "5D": "5D: LA services - early help",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}
YES, NO = "a) Yes", "b) No"
NEED = {
    "N1": "a) N1: Abuse or neglect",
    "N2": "b) N2: Child's disability",
    "N3": "c) N3: Parental illness or disability",
    "N4": "d) N4: Family in acute stress",
    "N5": "e) N5: Family dysfunction",
    "N6": "f) N6: Socially unacceptable behaviour",
    "N7": "g) N7: Low income",
    "N8": "h) N8: Absent parenting",
}
CLOSURE = {
    "RC1": "a) RC1: Adopted",
    "RC2": "b) RC2: Died",
    "RC3": "c) RC3: Child arrangements order",
    "RC4": "d) RC4: Special guardianship order",
    "RC5": "e) RC5: Transferred to another local authority",
    "RC6": "f) RC6: Transferred to adult social care",
    "RC7": "g) RC7: Child no longer in need",
    "RC8": "h) RC8: Case closed after assessment - no further action",
    "RC9": "RC9: Case closed after assessment - referred to early help",
}
CATEGORY = {
    "NEG": "a) NEG: Neglect",
    "PHY": "b) PHY: Physical abuse",
    "SAB": "c) SAB: Sexual abuse",
    "EMO": "d) EMO: Emotional abuse",
    "MUL": "e) MUL: Multiple",
}
LEGAL = {
    "C1": "C1: Interim care order",
    "C2": "C2: Full care order",
    "D1": "D1: Freed for adoption",
    "E1": "E1: Placement order granted",
    "V2": "V2: Single period of accommodation under section 20",
    "V3": "V3: Short breaks - single placement",
    "V4": "V4: Short breaks - series of placements",
    "L1": "L1: Police protection in LA accommodation",
    "L2": "L2: Emergency protection order",
    "L3": "L3: Child assessment order",
    "J1": "J1: Remanded to local authority accommodation or youth detention",
    "J2": "J2: Placed in LA accommodation under PACE",
    "J3": "J3: Sentenced to a youth rehabilitation order with residence requirement",
}
CEASED = {
    "E11": "E11: Adopted - application for an adoption order unopposed",
    "E12": "E12: Adopted - consent dispensed with by the court",
    "E13": "E13: Left care to live with parents, relatives or other person with no parental responsibility",
    "E14": "E14: Accommodation on remand ended",
    "E15": "E15: Age assessment determined child is aged 18 or over",
    "E16": "E16: Child moved abroad",
    "E17": "E17: Aged 18 and remained with former foster carers",
    "E2": "E2: Died",
    "E3": "E3: Care taken by another local authority",
    "E41": "E41: Residence order or child arrangements order granted",
    "E45": "E45: Special guardianship order made to former foster carers",
    "E46": "E46: Special guardianship order made to carers other than former foster carers",
    "E47": "E47: Special guardianship order made to a relative or friend",
    "E48": "E48: Special guardianship order made to other carers",
    "E4A": "E4A: Returned home to live with parents or other person with parental "
    "responsibility as part of care planning",
    "E4B": "E4B: Returned home to live with parents or other person with parental "
    "responsibility not as part of care planning",
    "E5": "E5: Moved into independent living with supportive accommodation",
    "E6": "E6: Moved into independent living with no formalised support",
    "E7": "E7: Transferred to residential care funded by adult social services",
    "E8": "E8: Period of being looked after ceased for any other reason",
    "E9": "E9: Sentenced to custody",
}
PLACEMENT = {
    "U1": "U1: Foster placement with relative or friend - long term",
    "U2": "U2: Foster placement with relative or friend who is also an approved adopter - FFA",
    "U3": "U3: Foster placement with relative or friend - not long term or FFA",
    "U4": "U4: Foster placement with other foster carer - long term",
    "U5": "U5: Foster placement with other foster carer who is also an approved adopter - FFA",
    "U6": "U6: Foster placement with other foster carer - not long term or FFA",
    "A3": "A3: Placed for adoption with parental consent with current foster carer",
    "A4": "A4: Placed for adoption with parental consent not with current foster carer",
    "A5": "A5: Placed for adoption with placement order with current foster carer",
    "A6": "A6: Placed for adoption with placement order not with current foster carer",
    "P1": "P1: Placed with own parents",
    "P2": "P2: Independent living",
    "P3": "P3: Residential employment",
    "H5": "H5: Semi-independent living accommodation",
    # supported accommodation (from 28 October 2023); the Annex A reader's spec
    # has no K3 yet, so it reports this value (see tests/synth/test_synth_ingest.py)
    "K3": "K3: Supported accommodation",
    "K1": "K1: Secure children's home",
    "K2": "K2: Children's home",
    "R1": "R1: Residential care home",
    "R2": "R2: NHS/health trust",
    "R3": "R3: Family centre or mother and baby unit",
    "R5": "R5: Young offender institution",
    "S1": "S1: Residential school",
    "Z1": "Z1: Other placements",
    "T0": "T0: Temporary placement",
}
PROVIDER = {
    "PR0": "a) PR0 - Parents or other person with parental responsibility",
    "PR1": "b) PR1 - Own provision by the LA",
    "PR2": "c) PR2 - Other LA provision",
    "PR3": "d) PR3 - Other public provision",
    "PR4": "e) PR4 - Private provision",
    "PR5": "f) PR5 - Voluntary/third sector provision",
}
ELIGIBILITY_RELEVANT, ELIGIBILITY_FORMER = "a) Relevant", "b) Former relevant"
IN_TOUCH = {
    "YES": "a) YES: In touch",
    "NO": "b) NO: Not in touch",
    "DIED": "c) DIED: Died",
    "REFU": "d) REFU: Young person refuses contact",
    "NREQ": "e) NREQ: Young person no longer requires services",
    "RHOM": "f) RHOM: Young person returned to live with parents",
}
ACCOM = {
    "B": "B: With parents or relatives",
    "C": "C: Community home",
    "D": "D: Semi-independent transitional accommodation",
    "E": "E: Supported lodgings",
    "G": "G: Gone abroad",
    "H": "H: Deported",
    "K": "K: Ordinary lodgings",
    "R": "R: Residence not known",
    "S": "S: No fixed abode/homeless",
    "T": "T: Foyers",
    "U": "U: Independent living",
    "V": "V: Emergency accommodation",
    "W": "W: Bed and breakfast",
    "X": "X: In custody",
    "Z": "Z: With former foster carer",
    "Y": "Y: Other accommodation",
}
SUITABILITY = {"1": "a) Suitable", "2": "b) Not suitable"}
ACTIVITY = {
    "F1": "F1: Full time in higher education",
    "P1": "P1: Part time in higher education",
    "F2": "F2: Full time in education other than higher",
    "P2": "P2: Part time in education other than higher",
    "F3": "F3: Full time in training or employment",
    "P3": "P3: Part time in training or employment",
    "F4": "F4: Young person engaged full time in an apprenticeship",
    "P4": "P4: Young person engaged part time in an apprenticeship",
    "F5": "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "P5": "P5: Young person engaged part time in training or employment (not apprenticeship)",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting",
}
NOT_STATED = "j) Not stated"
# each value table above and the code list of annex_a.yml it is read with
CODE_LISTS = {
    "sex": GENDER,
    "ethnicity": ETHNICITY,
    "source": SOURCE,
    "need": NEED,
    "closure_reason": CLOSURE,
    "cp_category": CATEGORY,
    "legal_status": LEGAL,
    "reason_ceased": CEASED,
    "placement": PLACEMENT,
    "provider": PROVIDER,
    "in_touch": IN_TOUCH,
    "accommodation": ACCOM,
    "suitability": SUITABILITY,
    "activity": ACTIVITY,
}
