"""What the accounts announce to the domains above them, which accounts do not import.

`public_profile_changed(user_id=…, at=…)` is sent, inside the transaction that makes the
change, when what the public sees of a participant changes: their display name, their profile
(individual or organisation, its name, category and HATVP number), or their account erased.
The open data listens to it: each consultation they contributed to has exports that name them.

`account_erased(user_id=…, at=…)` is sent, inside the erasing transaction, when a participant's
account is erased: a domain holding text the person wrote that is not published (moderation:
the text of their appeals) erases it.

`personal_data_requested(user=…)` is sent when the person's data is gathered ("Mes données":
the account page and the download); each receiver returns `{section name: [entries]}`, entries
being dicts of plain values (datetimes allowed).
"""

from blinker import Namespace

_signals = Namespace()
public_profile_changed = _signals.signal("public-profile-changed")
account_erased = _signals.signal("account-erased")
personal_data_requested = _signals.signal("personal-data-requested")
