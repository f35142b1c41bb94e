/**
 * Moves the focus to the field of a dialog marked `autofocus`, once the dialog
 * has finished opening. Naive UI's focus trap gives the focus to the first
 * focusable element, which is the title bar's close button; the HTML
 * attribute alone does nothing for elements added after the page loaded.
 */
export function focusFirstField(headingId: string): void {
  const dialog = document.getElementById(headingId)?.closest('[role="dialog"]');
  dialog?.querySelector<HTMLElement>('input[autofocus], textarea[autofocus]')?.focus();
}
