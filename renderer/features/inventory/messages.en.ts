/** The inventory feature's English messages, merged under `inventory` into the app's catalogue (renderer/i18n). */
export const inventoryEn = {
  title: 'Inventory',
  emptyTitle: 'Nothing to show yet',
  emptyBody: 'Once a cluster is connected, its virtual machines appear here with their state, load and tags.',
  commands: {
    go: 'Go to the inventory',
  },
};
