/** The consoles feature's English messages: typeClipboard. */
export const typeClipboardEn = {
  title: 'Type text into the guest',
  intro: 'The text is sent as key strokes, so the guest needs no clipboard agent. Pick the keyboard layout the guest uses, not yours.',
  text: 'Text to type',
  layout: "Guest's keyboard layout",
  layouts: { 'en-us': 'English (US)', fr: 'French (AZERTY)' },
  submit: 'Type',
  confirm: 'This text has {count} characters: the guest receives every one as a key stroke, which takes a while. Type them all?',
  confirmSubmit: 'Type {count} characters',
  typedAll: 'Typed {count} characters; none was skipped.',
  skipped: 'The {layout} layout cannot produce these characters, so they were not typed: {characters}',
  failed: 'The keys could not all be sent: the console is not connected. Reconnect, then type the text again.',
};
