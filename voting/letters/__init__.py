"""Letters with voting codes: the PDF (``pdf``), and issuing, keeping and handing over the letters (``batches``).

The plain codes exist only in the PDF that ``batches.make_letters`` writes in the same transaction that issues
them; it is downloaded once by staff who may manage the box's codes, and deleted then or after 24 hours.
"""
