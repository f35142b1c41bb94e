/** English messages of the operations feature's create part (merged under `operations.create`). */
export const createEn = {
  title: 'Create',
  actions: {
    clone: 'Clone…',
    migrate: 'Migrate…',
    backup: 'Back up now…',
    snapshot: 'Take snapshot…',
    delete: 'Delete…',
    createHere: 'Create VM here…',
    evacuate: 'Evacuate…',
    missing: 'You lack the {privilege} privilege here.',
  },
};
