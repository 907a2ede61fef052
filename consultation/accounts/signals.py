"""What the accounts announce to the domains above them, which accounts do not import.

`public_profile_changed(user_id=…, at=…)` is sent, inside the transaction that makes the
change, when what the public sees of a participant changes: their display name, their profile
(individual or organisation, its name, category and HATVP number), or their account erased.
The open data listens to it: each consultation they contributed to has exports that name them.
"""

from blinker import Namespace

_signals = Namespace()
public_profile_changed = _signals.signal("public-profile-changed")
