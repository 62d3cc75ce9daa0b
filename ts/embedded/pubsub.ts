// The embedded store's publishing and pub/sub introspection (PUBLISH, PUBSUB CHANNELS…),
// mixed into `Redwing` (see `commands.ts`). Subscribing is `Redwing.subscribe()` and its
// siblings, which take listeners (see `subscriber.ts`).

import type { Arg } from './codec.js'
import { Commands, toRecord } from './commands.js'

export abstract class PubSubCommands extends Commands {
  /** Posts a message; returns the number of subscribers (here and on the network) that got it. */
  publish(channel: Arg, message: Arg): number {
    return this.run2('PUBLISH', channel, message)
  }

  /** Posts a message to a shard channel. */
  spublish(channel: Arg, message: Arg): number {
    return this.run2('SPUBLISH', channel, message)
  }

  /** PUBSUB CHANNELS: the channels with subscribers (matching `pattern`, if given). */
  pubsubChannels(pattern?: Arg): string[] {
    return this.run(pattern === undefined ? ['PUBSUB', 'CHANNELS'] : ['PUBSUB', 'CHANNELS', pattern])
  }

  /** PUBSUB NUMSUB: the number of subscribers of each channel. */
  pubsubNumsub(...channels: Arg[]): Record<string, number> {
    return toRecord(this.run<(string | number)[]>(['PUBSUB', 'NUMSUB', ...channels])) as Record<string, number>
  }

  /** PUBSUB NUMPAT: the number of subscribed patterns. */
  pubsubNumpat(): number {
    return this.run(['PUBSUB', 'NUMPAT'])
  }

  /** PUBSUB SHARDCHANNELS: the shard channels with subscribers (matching `pattern`). */
  pubsubShardchannels(pattern?: Arg): string[] {
    return this.run(pattern === undefined ? ['PUBSUB', 'SHARDCHANNELS'] : ['PUBSUB', 'SHARDCHANNELS', pattern])
  }

  /** PUBSUB SHARDNUMSUB: the number of subscribers of each shard channel. */
  pubsubShardnumsub(...channels: Arg[]): Record<string, number> {
    return toRecord(this.run<(string | number)[]>(['PUBSUB', 'SHARDNUMSUB', ...channels])) as Record<string, number>
  }
}
