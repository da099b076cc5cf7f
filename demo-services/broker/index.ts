/**
 * The embedded MQTT 5 broker (aedes) in its own process, on BROKER_PORT. Its
 * in-memory persistence keeps the sessions and queued QoS 1 messages of
 * consumers that are down, for as long as the broker runs.
 */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import { loadDemoConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { stopOnSignals } from '../shared/lifecycle';

const config = loadDemoConfig();
const logger = createLogger({ serviceName: 'broker', level: config.logLevel });
const broker = await Aedes.createBroker();
const server = createServer(broker.handle);

broker.on('client', (client) => logger.info({ client_id: client.id }, 'client connected'));
broker.on('clientDisconnect', (client) => logger.info({ client_id: client.id }, 'client disconnected'));

server.listen(config.ports.broker, config.host, () => {
  logger.info({ port: config.ports.broker }, `broker listening on mqtt://${config.host}:${config.ports.broker}`);
});

stopOnSignals((reason) => {
  logger.info({ reason }, 'broker stopping');
  server.close();
  broker.close(() => process.exit(0));
});
