/**
 * A connector double for tests of the desk, the bridge and the automation API: a platform that is
 * connected as soon as it starts, records the commands it carried out, lets the test emit its
 * events, and refuses commands in the platform's words when told to.
 */
import type { ConnectorEvent } from '../../main/desk/events.js';
import { CommandError, type Connector, type ConnectorCommand, type ConnectorContext } from '../../main/desk/port.js';

export class ScriptedConnector implements Connector {
  context?: ConnectorContext;
  /** The commands carried out, in order (a refused one is not among them). */
  readonly commands: ConnectorCommand[] = [];
  /** While set, every command is refused with these words (a `CommandError`, as a platform's refusal). */
  refuse?: string;
  #refuseNext?: string;

  start(context: ConnectorContext): void {
    this.context = context;
    context.emit({ type: 'connection', state: 'connected' });
  }
  emit(event: ConnectorEvent): void {
    this.context!.emit(event);
  }
  /** Refuses the next command only, with these words. */
  refuseOnce(words: string): void {
    this.#refuseNext = words;
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(command: ConnectorCommand): Promise<void> {
    const words = this.refuse ?? this.#refuseNext;
    this.#refuseNext = undefined;
    if (words) throw new CommandError(words);
    this.commands.push(command);
  }
}
