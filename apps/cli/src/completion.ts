import { Command } from 'commander';

/** A bash completion script for the commands and options the program declares (so it never lags behind them). */
export function completionScript(cli: Command): string {
  const global = cli.options.map((o) => o.long).filter(Boolean);
  const cases = cli.commands
    .map((c) => `    ${c.name()}) opts="${[...c.options.map((o) => o.long), ...global].filter(Boolean).join(' ')}" ;;`)
    .join('\n');
  return `# bash completion for the one-million-initiatives CLI
_omi_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" command="" opts
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do case "$word" in -*) ;; *) command="$word"; break ;; esac; done
  case "$command" in
${cases}
    *) opts="${cli.commands.map((c) => c.name()).join(' ')} ${global.join(' ')} --help" ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -o default -F _omi_complete omi
`;
}
