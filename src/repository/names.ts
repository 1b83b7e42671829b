import { REPOSITORY_NAME_PATTERN as REPOSITORY_NAME } from '../internal/ecr-facts';
import { isConcrete, Problems } from '../internal/problems';

/**
 * Checks a repository name against ECR's pattern and the given length limits.
 * Skips unresolved tokens.
 *
 * @internal
 */
export function checkRepositoryName(problems: Problems, name: string | undefined, maxLength = 256): void {
  if (!isConcrete(name)) return;
  if (name.length < 2 || name.length > maxLength) {
    problems.add(`repositoryName '${name}' has ${name.length} characters: it must have 2 to ${maxLength}`);
  }
  if (!REPOSITORY_NAME.test(name)) {
    problems.add(`repositoryName '${name}' breaks ECR's naming rule: lowercase letters and digits in groups separated by one '.', '_' or '-', with '/' between namespaces, starting and ending with a letter or digit`);
  }
}
