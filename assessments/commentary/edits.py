"""Officers' edits of generated commentary: kept, versioned, and marked when the figures move on.

A generated text (assessments.commentary.text) carries a fingerprint of the
figures it was written from. When an officer edits it, the edit is stored
with the fingerprint of the figures they were looking at. Afterwards:

- while the fingerprints match, the page shows the officer's text, marked
  as edited, by whom and when;
- when they differ, the figures have changed since the edit. Signed-in
  readers who see the same (provisional) figures as the editor still get the
  edit, with a warning and the newly generated text beside it. The public,
  who see final figures only, get the generated text for their figures: an
  edit written about provisional figures must not reach them.

Two people editing at once never overwrite each other silently: every save
names the version it started from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from assessments.commentary.text import GeneratedText
from assessments.models import CommentaryEdit
from crimedata import roles

MAX_LENGTH = 5000


class CommentaryConflict(Exception):
    """Someone else changed the text since the editor opened it."""


class CommentaryError(ValueError):
    """A text that cannot be saved, with a message for the form."""


@dataclass(frozen=True)
class ResolvedText:
    """The text a reader sees, and why."""

    text: str
    generated: GeneratedText
    edit: CommentaryEdit | None
    edited: bool  # the text shown is an officer's edit
    figures_changed: bool  # an edit exists and the figures have changed since

    @property
    def version(self) -> int:
        return self.edit.version if self.edit is not None else 0


def resolve_commentary(key: str, generated: GeneratedText, *, user) -> ResolvedText:
    """The text to show for ``key`` to this user (one query)."""
    edit = CommentaryEdit.objects.filter(key=key).select_related("edited_by").first()
    return _resolve(edit, generated, user)


def resolve_many(texts: Mapping[str, GeneratedText], *, user) -> dict[str, ResolvedText]:
    """resolve_commentary() for many texts at once: one query, however many boxes a page has."""
    if not texts:
        return {}
    edits = {
        edit.key: edit
        for edit in CommentaryEdit.objects.filter(key__in=list(texts)).select_related("edited_by")
    }
    return {key: _resolve(edits.get(key), generated, user) for key, generated in texts.items()}


def _resolve(edit: CommentaryEdit | None, generated: GeneratedText, user) -> ResolvedText:
    if edit is None:
        return ResolvedText(generated.text, generated, None, edited=False, figures_changed=False)
    changed = edit.fingerprint != generated.fingerprint
    if changed and not roles.can_see_provisional(user):
        return ResolvedText(generated.text, generated, edit, edited=False, figures_changed=False)
    return ResolvedText(edit.text, generated, edit, edited=True, figures_changed=changed)


def _check(user, district_id: int | None) -> None:
    # A text with no district (district_id None) is county-wide: county analysts only.
    if not roles.can_edit_district_texts(user, district_id):
        raise PermissionDenied("You cannot edit this text.")


def save_commentary(
    *,
    user,
    key: str,
    district_id: int | None,
    text: str,
    generated: GeneratedText,
    fingerprint: str,
    expected_version: int,
    reason: str = "",
) -> CommentaryEdit:
    """Keep an officer's edit of a generated text.

    - fingerprint: of the figures the officer was looking at (from the form),
      so an edit made just as the figures changed is marked at once;
    - expected_version: the version the officer started from (0: none yet).

    Raises PermissionDenied, CommentaryError (empty or too long) or
    CommentaryConflict (someone else saved or reverted in between).
    """
    _check(user, district_id)
    text = (text or "").strip()
    if not text:
        raise CommentaryError("Enter the text, or use the generated text instead.")
    if len(text) > MAX_LENGTH:
        raise CommentaryError(f"The text must be {MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        edit = CommentaryEdit.objects.select_for_update().filter(key=key).first()
        current = edit.version if edit is not None else 0
        if current != expected_version:
            raise CommentaryConflict(
                "Someone else changed this text while you were editing it. Your text has not been saved: "
                "check the current text and make your change again."
            )
        if edit is None:
            edit = CommentaryEdit(key=key, district_id=district_id, version=1)
        else:
            edit.version += 1
        edit.text = text
        edit.generated_text = generated.text
        edit.fingerprint = fingerprint
        edit.edited_by = user
        edit._history_user = user
        edit._change_reason = reason.strip() or None
        try:
            with transaction.atomic():
                edit.save()
        except IntegrityError as error:  # a first edit saved by someone else a moment ago
            raise CommentaryConflict(
                "Someone else saved this text at the same time. Check it and try again."
            ) from error
    return edit


def revert_commentary(*, user, key: str, district_id: int | None, expected_version: int, reason: str = "") -> None:
    """Go back to the generated text; the edit stays in the history."""
    _check(user, district_id)
    with transaction.atomic():
        edit = CommentaryEdit.objects.select_for_update().filter(key=key).first()
        if edit is None:
            return
        if edit.version != expected_version:
            raise CommentaryConflict(
                "Someone else changed this text while you were looking at it. Check the current text first."
            )
        edit._history_user = user
        edit._change_reason = reason.strip() or "Back to the generated text"
        edit.delete()


def commentary_history(key: str, limit: int = 20) -> list[dict]:
    """Versions of an edited text, newest first (one query)."""
    rows = (
        CommentaryEdit.history.filter(key=key).select_related("history_user").order_by("-history_date", "-history_id")
    )[:limit]
    kinds = {"+": "Edited", "~": "Edited", "-": "Back to the generated text"}
    return [
        {
            "action": kinds.get(row.history_type, row.history_type),
            "when": row.history_date,
            "who": (row.history_user.get_full_name() or row.history_user.get_username()) if row.history_user else "",
            "text": row.text,
            "reason": row.history_change_reason or "",
            "version": row.version,
        }
        for row in rows
    ]
