"""A story, a rewrite of it, and a story on a neighbouring subject (written for these tests)."""

SOURCE = """The central bank raised its main interest rate by half a point to 4.5% on Thursday, the first increase in three years.
Governor Anna Lindqvist said rising food and energy prices had pushed inflation well above the bank's target.
Economists had expected a smaller rise of a quarter point, and the currency strengthened after the announcement.
Mortgage lenders are likely to pass the higher cost on to borrowers within weeks, analysts warned.
The bank also cut its forecast for economic growth next year to 1.2% from 1.8%.
Opposition politicians accused the government of losing control of prices."""

REWRITE = """Borrowers face higher bills after the central bank lifted its key rate by 0.5 percentage points to 4.5%, its first rise for three years.
Inflation has climbed far beyond the target because of dearer food and energy, according to governor Anna Lindqvist.
The currency gained ground as the move was bigger than the quarter-point increase most economists had forecast.
Analysts warned that mortgage lenders would probably pass on the extra cost to customers within a few weeks.
The bank lowered its growth forecast for next year to 1.2%, down from 1.8%."""

OTHER = """Shoppers in the capital queued outside bakeries on Thursday as bread prices rose for the third time this year.
Retailers blamed the cost of flour and energy, and several small shops said they might close.
The consumer association called on the government to help families struggling with the cost of living.
A spokesman for the finance ministry said support measures would be announced next month.
Farmers said the harvest had been poor because of the dry summer."""

#: the same event reported on its own: the bank's decision, in other words, with other
#: speakers and figures (names and numbers of its own, no sentence of SOURCE reworded)
REPORT = """Homeowners in Malmberg and Ostervik called their banks on Thursday after the rate rise, said Karin Ahlgren of the Borrowers Union.
Ahlgren said 340,000 households with variable loans would pay about 95 more each month from March.
Builders Nordbygg and Halvarsson said they expected sales of new flats to slow by 8% before the summer.
Estate agent Per Sundqvist in Ostervik said 12 buyers had withdrawn offers within a day.
The Federation of Small Firms warned that 2,400 companies could struggle to refinance their loans in Malmberg."""

#: a summary of SOURCE: its substance in a third of the length, no fact of its own
SUMMARY = """The central bank lifted its key rate by half a point to 4.5%, as governor Anna Lindqvist blamed dearer food and energy.
It also lowered its growth forecast for next year to 1.2% from 1.8%."""
