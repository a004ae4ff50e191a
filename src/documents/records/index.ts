export { queryRecordList, type RecordOp, type RecordQuery, type RecordResult, type RecordStatus } from './query.ts';
export { readRecordList, recogniseRecordLists, recogniseTable } from './recognise.ts';
export type * from './types.ts';
