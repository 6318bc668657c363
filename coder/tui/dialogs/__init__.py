"""Modal dialogs: each is a ModalScreen[T] that dismisses with its result (None when cancelled)."""

from coder.tui.dialogs.choice import ChoiceDialog
from coder.tui.dialogs.code_picker import CodePicker, PickedCode
from coder.tui.dialogs.coder_name import CoderName, CoderNameDialog
from coder.tui.dialogs.confirm import ConfirmDialog
from coder.tui.dialogs.memo import MemoDialog

__all__ = [
    "ChoiceDialog", "CodePicker", "PickedCode", "CoderName", "CoderNameDialog", "ConfirmDialog", "MemoDialog",
]
