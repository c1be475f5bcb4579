// The child server: JSON-RPC over stdio (vscode-jsonrpc), spawned by the extension.
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { registerHandlers } from './handlers';

const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
registerHandlers(connection);
connection.listen();
