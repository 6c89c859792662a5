/**
 * Gossip.Read: the cluster as this node sees it. Clients call it only to discover a node
 * (`esdb+discover://` or several hosts in the connection string); a single-node connection string
 * never does. This server is a one-node cluster whose only member is an alive leader.
 */
import { randomUUID } from 'node:crypto';
import { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { gossip, shared, uuidMessage } from './protocol';

export function gossipReadHandler(address: () => { host: string; port: number }) {
  const instanceId = randomUUID();
  return (_call: ServerUnaryCall<shared.Empty, gossip.ClusterInfo>, callback: sendUnaryData<gossip.ClusterInfo>) => {
    const { host, port } = address();
    const leader = new gossip.MemberInfo()
      .setInstanceId(uuidMessage(instanceId, 'structured'))
      .setTimeStamp((BigInt(Date.now()) * 10_000n).toString())
      .setState(gossip.MemberInfo.VNodeState.LEADER)
      .setIsAlive(true)
      .setHttpEndPoint(new gossip.EndPoint().setAddress(host).setPort(port));
    callback(null, new gossip.ClusterInfo().setMembersList([leader]));
  };
}
