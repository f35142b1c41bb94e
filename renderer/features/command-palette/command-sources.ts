import { useConnectionsPaletteCommands } from '../connections';
import { useConsolesPaletteCommands } from '../consoles';
import { useInventoryPaletteCommands } from '../inventory';
import { useBackupJobsPaletteCommands, useCreatePaletteCommands } from '../operations';
import { useP2vPaletteCommands } from '../p2v';
import { useSettingsPaletteCommands } from '../settings';
import type { PaletteCommandSource } from '../../platform/palette';

/** Every feature's palette commands, in the order the palette lists them: adding a feature adds one line here. */
export const commandSources: PaletteCommandSource[] = [
  useInventoryPaletteCommands,
  useCreatePaletteCommands,
  useBackupJobsPaletteCommands,
  useConsolesPaletteCommands,
  useP2vPaletteCommands,
  useConnectionsPaletteCommands,
  useSettingsPaletteCommands,
];
