/**
 * Where the adoption plan and `RegistryExport` get an export file's content:
 * the reader and validator of the format (`readRegistryExport`), with every
 * problem it finds thrown as one error naming the file.
 *
 * @module
 */
import { RegistryExportFile } from './export-model';
import { readRegistryExport } from './export-read';

/** The export in a file's text; throws one error naming the file and every problem. */
export function exportFromText(text: string, file: string): RegistryExportFile {
  const { registryExport, problems } = readRegistryExport(text, file);
  if (problems.length > 0 || registryExport === undefined) {
    throw new Error(`${file} is not a registry export this library can adopt from (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
  return registryExport;
}
