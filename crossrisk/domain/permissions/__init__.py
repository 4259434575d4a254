"""Who may do what (DESIGN §1): permissions follow from the actor's organisation.

A city writes only its own records and reads what its regions share; a coordination
body reads and acts for its member cities; the central office reads and acts everywhere;
an evaluator reads and files third-party assessments of its region's members. A viewer
reads what its organisation reads and changes nothing.

Every predicate of who may do what lives in this package, one module per capability
(regions.py holds the reading and coordinating the others build on). Services enforce
them and pages use them to show or hide what a user can do, so the two can never disagree.
"""
