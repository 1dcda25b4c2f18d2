export type { EtcdAvailability } from './findEtcd';
export { ETCD_BINARY_ENV, etcdForTests, findEtcd } from './findEtcd';
export type { EtcdCluster, EtcdMember, EtcdServer, StartEtcdOptions } from './startEtcd';
export { startEtcd, startEtcdCluster } from './startEtcd';
