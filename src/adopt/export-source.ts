/**
 * Where the adoption plan and `RegistryExport` get an export file's content:
 * one seam, so that the full reader and validator of the format
 * (`readRegistryExport`) takes its place without another change. Until then
 * it checks the envelope only: the format, the version, the account, the
 * region and the lists the plan walks.
 *
 * @module
 */
import { EXPORT_FORMAT, EXPORT_VERSION, RegistryExportFile } from './export-model';

/** The export in a file's text; throws one error naming the file and every problem. */
export function exportFromText(text: string, file: string): RegistryExportFile {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`$: a registry export is a JSON object with "format": "${EXPORT_FORMAT}"`);
  } else {
    if (value.format !== EXPORT_FORMAT) problems.push(`$.format: ${JSON.stringify(value.format)} is not "${EXPORT_FORMAT}"`);
    if (value.version !== EXPORT_VERSION) problems.push(`$.version: ${JSON.stringify(value.version)} is not a version this library reads (${EXPORT_VERSION})`);
    if (typeof value.account !== 'string' || !/^\d{12}$/.test(value.account)) problems.push(`$.account: ${JSON.stringify(value.account)} is not a 12-digit account ID`);
    if (typeof value.region !== 'string' || value.region === '') problems.push(`$.region: ${JSON.stringify(value.region)} is not a region`);
    if (!Array.isArray(value.repositories)) {problems.push('$.repositories: must be a list');} else {
      value.repositories.forEach((r: any, i: number) => {
        if (typeof r !== 'object' || r === null || typeof r.repositoryName !== 'string') problems.push(`$.repositories[${i}].repositoryName: must be a string`);
        else if (typeof r.encryptionConfiguration !== 'object' || r.encryptionConfiguration === null) problems.push(`$.repositories[${i}].encryptionConfiguration: must be an object`);
        else if (!Array.isArray(r.tags)) problems.push(`$.repositories[${i}].tags: must be a list`);
      });
    }
    if (typeof value.registry !== 'object' || value.registry === null) problems.push('$.registry: must be an object');
  }
  if (problems.length > 0) throw new Error(`${file} is not a registry export (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return value as RegistryExportFile;
}
